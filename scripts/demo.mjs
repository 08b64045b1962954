// `npm run demo`: Tether against the local simulated cluster (demo seed) with the sample workspace.
// Opens VS Code (`code` on PATH) with Tether as the extension under development, or else serves
// code-server on http://127.0.0.1:PORT (TETHER_DEMO_PORT, default a free port), installing it and
// the Debian packages it needs first (as root or with passwordless sudo; otherwise it says the
// command to run). The sample's service runs locally on port 3000 for Preview Changes. Ctrl+C, or
// SIGINT/SIGTERM to this process alone, stops everything it started.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './lib/repo.mjs';
import { runScript } from './lib/teardown.mjs';
import { tempDir } from './lib/temp-dir.mjs';
import { run } from './lib/process-run.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { ensureCodeServer } from './lib/code-server-install.mjs';
import { startCodeServer } from './lib/code-server.mjs';
import { startProcess } from './lib/child-process.mjs';
import { startSimulator } from './lib/simulator.mjs';
import { workbenchUrl } from './lib/workbench-url.mjs';

const SAMPLE = join(REPO_ROOT, 'sample');

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

runScript(async (teardown) => {
  if (!existsSync(join(REPO_ROOT, 'node_modules'))) {
    console.log('installing npm packages (npm ci)');
    await run('npm', ['ci'], { cwd: REPO_ROOT, teardown });
  }
  const useCode = onPath('code') && process.env.TETHER_DEMO_BROWSER !== '1';
  if (!useCode) await ensureCodeServer({ teardown });
  await ensureBuilt(teardown);

  const simDir = join(REPO_ROOT, '.sim');
  mkdirSync(simDir, { recursive: true });
  const kubeconfig = join(simDir, 'demo.kubeconfig');
  teardown.add(() => rmSync(kubeconfig, { force: true }));
  const sim = await startSimulator(teardown, { kubeconfig, seed: 'demo' });
  console.log(`simulated cluster: ${sim.url}`);
  if (onPath('kubectl')) console.log(`  try: kubectl --kubeconfig ${kubeconfig} get pods -A`);
  const env = { KUBECONFIG: kubeconfig };

  // The service under development: sample/tether.yaml forks shop/api to it. `node --watch`
  // restarts it on every save, so an edit shows up at the preview URL at once.
  const service = startProcess(teardown, 'shop-api', process.execPath, ['--watch', join(SAMPLE, 'src', 'server.js')],
    { cwd: SAMPLE, env: { ...process.env, PORT: '3000' }, onLine: (_s, line) => console.log(`[shop-api] ${line}`) });
  void service.exited.then(({ code, signal }) => {
    if (!teardown.running) console.error(`shop-api stopped (${signal ?? `exit ${code}`}); is port 3000 in use?`);
  });

  if (useCode) {
    console.log('opening VS Code with Tether (close the window or press Ctrl+C to stop)');
    const code = startProcess(teardown, 'code', 'code',
      ['--new-window', '--wait', `--extensionDevelopmentPath=${REPO_ROOT}`, SAMPLE],
      { env: { ...process.env, ...env }, onLine: (_s, line) => console.log(`[code] ${line}`) });
    await code.exited;
    return 0; // the window was closed
  }

  const root = tempDir(teardown, 'demo');
  const port = process.env.TETHER_DEMO_PORT ? Number(process.env.TETHER_DEMO_PORT) : undefined;
  const server = await startCodeServer(teardown, { root, env, port });
  const url = workbenchUrl(server.origin, { folder: SAMPLE, extensionDevelopmentPath: REPO_ROOT });
  console.log(`\n\`code\` is not on PATH, so Tether runs in code-server. Open:\n\n  ${url}\n\nCtrl+C stops everything.`);
  const { code, signal } = await server.exited;
  if (teardown.running) return 0;
  console.error(`code-server stopped (${signal ?? `exit ${code}`})`);
  return 1;
});
