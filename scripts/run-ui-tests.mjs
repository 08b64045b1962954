// UI scenarios (test/ui) with Playwright: code-server with Tether loaded as the extension under
// development, the sample workspace, the simulator's demo cluster, headless Debian Chromium.
// Screenshots go to test-results/. The README's screenshot (docs/images/) is rewritten only with
// --update-docs or when it is missing, so a test run leaves the tracked files alone.
// With --vsix, Tether is packaged (`npm run package`) and installed from the .vsix instead;
// --vsix=<file> installs that .vsix.
// Usage: node scripts/run-ui-tests.mjs [--update-docs] [--vsix[=file]] [text that scenario names must contain]
import { delimiter, join, resolve } from 'node:path';
import { UNREACHABLE_CONTEXT, writeUnreachableKubeconfig } from './lib/kubeconfig-fixtures.mjs';
import { tsImport } from 'tsx/esm/api';
import { REPO_ROOT } from './lib/repo.mjs';
import { runScript } from './lib/teardown.mjs';
import { tempDir } from './lib/temp-dir.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { run } from './lib/process-run.mjs';
import { startSimulator } from './lib/simulator.mjs';
import { openWorkbench } from './lib/workbench-session.mjs';
import { formatCounts } from './lib/test-counts.mjs';

runScript(async (teardown) => {
  const started = Date.now();
  const vsixArg = process.argv.find((a) => a === '--vsix' || a.startsWith('--vsix='));
  const fromVsix = vsixArg !== undefined;
  await ensureBuilt(teardown);
  let vsix = vsixArg?.startsWith('--vsix=') ? resolve(vsixArg.slice('--vsix='.length)) : undefined;
  if (vsixArg === '--vsix') {
    console.log('packaging (npm run package)');
    await run('npm', ['run', 'package'], { cwd: REPO_ROOT, quiet: true, teardown });
    vsix = join(REPO_ROOT, 'dist', 'tether.vsix');
  }
  const { runScenarios } = await tsImport('../test/ui/index.ts', import.meta.url);
  const dir = tempDir(teardown, 'ui');
  const sim = await startSimulator(teardown, { kubeconfig: join(dir, 'sim.kubeconfig'), seed: 'demo' });
  const { page } = await openWorkbench(teardown, {
    label: 'ui-workbench',
    extensionPath: fromVsix ? undefined : REPO_ROOT,
    vsix,
    folder: join(REPO_ROOT, 'sample'),
    env: { KUBECONFIG: [sim.kubeconfig, await writeUnreachableKubeconfig(dir)].join(delimiter) },
    viewport: { width: 1280, height: 800 },
  });
  const counts = await runScenarios({
    page,
    resultsDir: join(REPO_ROOT, 'test-results'),
    docsImagesDir: join(REPO_ROOT, 'docs', 'images'),
    updateDocs: process.argv.includes('--update-docs'),
    cluster: { kubeconfig: sim.kubeconfig, context: sim.context, unreachableContext: UNREACHABLE_CONTEXT },
    filter: process.argv.slice(2).find((a) => !a.startsWith('--')),
  });
  console.log(`UI scenarios took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(formatCounts(counts));
  return counts.failed === 0 && counts.passed > 0 ? 0 : 1;
}, { timeoutMs: 5 * 60 * 1000 });
