/**
 * Entry of the extension-host test suite: VS Code (code-server here, or VS Code through
 * @vscode/test-electron) loads this bundle and calls run(). TETHER_HOST_SCENARIO picks the test
 * files that match the kubeconfig the runner gave this VS Code; TETHER_TEST_RESULTS, when set, is
 * where the counts are written for the runner.
 */
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';
import * as vscode from 'vscode';

const SCENARIOS: Record<string, ReadonlyArray<() => Promise<unknown>>> = {
  cluster: [
    () => import('./activation.test'),
    () => import('./contexts.test'),
    () => import('./demoCluster.test'),
    () => import('./liveChanges.test'),
    () => import('./describe.test'),
    () => import('./podDetails.test'),
    () => import('./podLogs.test'),
    () => import('./gpu.test'),
    () => import('./sandbox.test'),
    () => import('./tunnel.test'),
    () => import('./manifests.test'),
    () => import('./completion.test'),
  ],
  'bad-kubeconfig': [
    () => import('./activation.test'),
    () => import('./badKubeconfig.test'),
  ],
};

export async function run(): Promise<void> {
  const scenario = process.env.TETHER_HOST_SCENARIO ?? 'cluster';
  const files = SCENARIOS[scenario];
  if (!files) throw new Error(`unknown TETHER_HOST_SCENARIO ${scenario}`);
  console.log(`extension-host suite: ${scenario} (${vscode.env.appName} ${vscode.version}, ${process.env.KUBECONFIG ? 'KUBECONFIG set' : 'no KUBECONFIG'})`);
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 90_000, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, scenario, mocha);
  for (const load of files) await load();
  const { passed, failed } = await new Promise<{ passed: number; failed: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0 }));
  });
  console.log(`${passed} passed, ${failed} failed`);
  if (process.env.TETHER_TEST_RESULTS) writeFileSync(process.env.TETHER_TEST_RESULTS, JSON.stringify({ passed, failed }));
  if (failed > 0) throw new Error(`${failed} extension-host test(s) failed`);
}
