// code-server (VS Code server + workbench) on 127.0.0.1, isolated: fresh user-data and extensions
// folders, an empty config, no telemetry, no marketplace, its own TMPDIR. Owned by a Teardown.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCodeServer } from './code-server-install.mjs';
import { startProcess } from './child-process.mjs';
import { freePort } from './free-port.mjs';
import { run } from './process-run.mjs';

const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'git.enabled': false,
  // Tests edit files of the repository's sample workspace and revert them; nothing is written unless a test saves.
  'files.autoSave': 'off',
};

/**
 * Starts code-server in `root` (a throwaway folder). `env` is added to the server's environment,
 * which the extension host inherits (e.g. KUBECONFIG). `settings` go into the user settings.
 * `vsix` is installed first when given; `port` defaults to a free one. Resolves with
 * {port, origin, stop, exited, output} once it answers.
 */
export async function startCodeServer(teardown, { root, env = {}, settings = {}, vsix, port: fixedPort, echo = false, timeoutMs = 60000 }) {
  const entry = await ensureCodeServer({ teardown });
  const dirs = {
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    tmp: join(root, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2));
  const config = join(root, 'config.yaml');
  writeFileSync(config, '');
  const serverEnv = { ...process.env, EXTENSIONS_GALLERY: '{}', TMPDIR: dirs.tmp, NODE_OPTIONS: '', ...env };
  const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--config', config];
  if (vsix) {
    await run(process.execPath, [entry, ...common, '--install-extension', vsix, '--force'], { env: serverEnv, quiet: !echo, teardown });
  }

  const port = fixedPort ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const args = [entry, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override'];
  const output = [];
  const proc = startProcess(teardown, 'code-server', process.execPath, args, {
    env: serverEnv,
    onLine(_stream, line) {
      output.push(line);
      if (output.length > 200) output.shift();
      if (echo) console.log(`[code-server] ${line}`);
    },
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`code-server exited (${proc.child.exitCode})\n${output.join('\n')}`);
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer within ${timeoutMs / 1000} s\n${output.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { port, origin, dirs, stop: proc.stop, exited: proc.exited, output };
}
