// Extension-host tests (test/host/suite) in a real VS Code against the Kubernetes API simulator.
// Here: code-server + headless Debian Chromium. With TETHER_TEST_ELECTRON=1: @vscode/test-electron
// (needs to download VS Code). Each scenario is one VS Code run with its own KUBECONFIG:
//   cluster         the simulator (demo seed) plus a context that nothing answers
//   bad-kubeconfig  a kubeconfig that does not parse
// Usage: node scripts/run-host-tests.mjs [scenario…]
import { mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { REPO_ROOT } from './lib/repo.mjs';
import { runScript } from './lib/teardown.mjs';
import { tempDir } from './lib/temp-dir.mjs';
import { ensureBuilt, OUTPUTS } from './lib/build.mjs';
import { startSimulator } from './lib/simulator.mjs';
import { runInExtensionHost } from './lib/extension-host-run.mjs';
import { writeMalformedKubeconfig, writeUnreachableKubeconfig } from './lib/kubeconfig-fixtures.mjs';
import { formatCounts, readCounts } from './lib/test-counts.mjs';


const SCENARIOS = {
  async cluster(teardown, dir) {
    const sim = await startSimulator(teardown, { kubeconfig: join(dir, 'sim.kubeconfig'), seed: 'demo' });
    const unreachable = await writeUnreachableKubeconfig(dir);
    return {
      KUBECONFIG: [sim.kubeconfig, unreachable].join(delimiter),
      TETHER_TEST_SIM_KUBECONFIG: sim.kubeconfig,
      TETHER_TEST_SIM_URL: sim.url,
      TETHER_TEST_SIM_CONTEXT: sim.context,
    };
  },
  async 'bad-kubeconfig'(_teardown, dir) {
    return { KUBECONFIG: writeMalformedKubeconfig(dir) };
  },
};

async function runElectron(env, workspace) {
  const { runTests } = await import('@vscode/test-electron');
  try {
    await runTests({
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: OUTPUTS.hostTests,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
      extensionTestsEnv: env,
    });
    return 0;
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    return 1;
  }
}

runScript(async (teardown) => {
  const requested = process.argv.slice(2);
  const names = requested.length ? requested : Object.keys(SCENARIOS);
  for (const name of names) if (!SCENARIOS[name]) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  await ensureBuilt(teardown);
  const electron = process.env.TETHER_TEST_ELECTRON === '1';
  const total = { passed: 0, failed: 0 };
  let worst = 0;
  for (const name of names) {
    const started = Date.now();
    console.log(`\n--- extension host: ${name} (${electron ? 'VS Code via @vscode/test-electron' : 'code-server + Chromium'}) ---`);
    const scenarioTeardown = teardown.child();
    try {
      const dir = tempDir(scenarioTeardown, `host-${name}`);
      const resultsFile = join(dir, 'results.json');
      // An empty workspace: nothing in it may activate the extension before the tests do.
      const workspace = join(dir, 'workspace');
      mkdirSync(workspace);
      const env = { ...(await SCENARIOS[name](scenarioTeardown, dir)), TETHER_HOST_SCENARIO: name, TETHER_TEST_RESULTS: resultsFile };
      let code;
      if (electron) {
        code = await runElectron(env, workspace);
      } else {
        ({ code } = await runInExtensionHost(scenarioTeardown, {
          label: `host-${name}`,
          extensionPath: REPO_ROOT,
          testsPath: OUTPUTS.hostTests,
          folder: workspace,
          env,
        }));
      }
      const counts = readCounts(resultsFile);
      if (counts) {
        total.passed += counts.passed;
        total.failed += counts.failed;
      } else {
        total.failed += 1;
        console.error(`${name}: the suite reported no results`);
      }
      if (code !== 0) worst = code || 1;
      console.log(`--- ${name}: exit ${code} in ${((Date.now() - started) / 1000).toFixed(1)} s ---`);
    } finally {
      await scenarioTeardown.run();
    }
  }
  if (total.failed > 0 && worst === 0) worst = 1;
  console.log(`\n${formatCounts(total)}`);
  return worst;
}, { timeoutMs: 10 * 60 * 1000 });
