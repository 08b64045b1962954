// UI scenarios (test/ui) with Playwright: code-server with Tether loaded as the extension under
// development, the sample workspace, the simulator's demo cluster, headless Debian Chromium.
// Screenshots go to test-results/ (and the README's to docs/images/).
// Usage: node scripts/run-ui-tests.mjs [text that scenario names must contain]
import { delimiter, join } from 'node:path';
import { UNREACHABLE_CONTEXT, writeUnreachableKubeconfig } from './lib/kubeconfig-fixtures.mjs';
import { tsImport } from 'tsx/esm/api';
import { REPO_ROOT } from './lib/repo.mjs';
import { runScript } from './lib/teardown.mjs';
import { tempDir } from './lib/temp-dir.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { startSimulator } from './lib/simulator.mjs';
import { openWorkbench } from './lib/workbench-session.mjs';
import { formatCounts } from './lib/test-counts.mjs';

runScript(async (teardown) => {
  const started = Date.now();
  await ensureBuilt();
  const { runScenarios } = await tsImport('../test/ui/index.ts', import.meta.url);
  const dir = tempDir(teardown, 'ui');
  const sim = await startSimulator(teardown, { kubeconfig: join(dir, 'sim.kubeconfig'), seed: 'demo' });
  const { page } = await openWorkbench(teardown, {
    label: 'ui-workbench',
    extensionPath: REPO_ROOT,
    folder: join(REPO_ROOT, 'sample'),
    env: { KUBECONFIG: [sim.kubeconfig, await writeUnreachableKubeconfig(dir)].join(delimiter) },
    viewport: { width: 1280, height: 800 },
  });
  const counts = await runScenarios({
    page,
    resultsDir: join(REPO_ROOT, 'test-results'),
    docsImagesDir: join(REPO_ROOT, 'docs', 'images'),
    cluster: { kubeconfig: sim.kubeconfig, context: sim.context, unreachableContext: UNREACHABLE_CONTEXT },
    filter: process.argv[2],
  });
  console.log(`UI scenarios took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(formatCounts(counts));
  return counts.failed === 0 && counts.passed > 0 ? 0 : 1;
}, { timeoutMs: 5 * 60 * 1000 });
