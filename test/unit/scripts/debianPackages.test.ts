/**
 * The Debian-package installer shared by `.ci/run`, the demo and the test runners: as root or with
 * passwordless sudo it installs what is missing with one `apt-get update`; otherwise it stops with
 * the one command to run, and the script exits non-zero without a stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ALL_PACKAGES, ensureDebianPackages, installCommand, type InstallPrivileges } from '../../../scripts/lib/debian-packages.mjs';
import { tempFolder, type TempFolderOwner } from '../../tempFolder';

const cli = resolve(__dirname, '../../../scripts/install-debian-packages.mjs');

/** ensureDebianPackages with `absent` missing until installed, recording every command it runs. */
async function ensure(privileges: InstallPrivileges, absent: string[]) {
  let installed = false;
  const runs: string[] = [];
  const lines: string[] = [];
  const result = await ensureDebianPackages(['git', ...absent], 'Installing code-server', {
    missing: (packages) => (installed ? [] : packages.filter((p) => absent.includes(p))),
    privileges: () => privileges,
    exec: async (cmd, args, options) => {
      runs.push([cmd, ...args].join(' '));
      assert.equal(options.env?.DEBIAN_FRONTEND, 'noninteractive');
      if (args.includes('install')) installed = true;
    },
    log: (line) => lines.push(line),
  }).then((value) => ({ value }), (error: Error) => ({ error }));
  return { result, runs, lines };
}

test('as root: one line says what it installs, then one apt-get update and one install of what is missing', async () => {
  const { result, runs, lines } = await ensure('root', ['ripgrep', 'chromium']);
  assert.deepEqual(result, { value: ['ripgrep', 'chromium'] });
  assert.deepEqual(lines, ['Installing code-server: installing Debian packages ripgrep chromium']);
  assert.deepEqual(runs, ['apt-get update', 'apt-get install -y --no-install-recommends ripgrep chromium']);
});

test('with passwordless sudo: the same, through sudo -n', async () => {
  const { result, runs, lines } = await ensure('sudo', ['ripgrep']);
  assert.deepEqual(result, { value: ['ripgrep'] });
  assert.match(lines[0], /installing Debian packages ripgrep \(with sudo\)$/);
  assert.deepEqual(runs, ['sudo -n apt-get update', 'sudo -n apt-get install -y --no-install-recommends ripgrep']);
});

test('without: nothing runs, and the error gives the one command', async () => {
  const { result, runs } = await ensure('none', ['ripgrep', 'chromium']);
  assert.ok('error' in result);
  assert.equal(result.error.name, 'ScriptError');
  assert.equal(result.error.message, `Installing code-server needs Debian packages that are not installed: ripgrep chromium\nInstall them with:\n  ${installCommand(['ripgrep', 'chromium'])}`);
  assert.deepEqual(runs, []);
  const noApt = await ensure('no-apt', ['ripgrep']);
  assert.ok('error' in noApt.result && /has no apt-get/.test(noApt.result.error.message));
});

test('nothing missing: nothing runs, nothing is said', async () => {
  const { result, runs, lines } = await ensure('none', []);
  assert.deepEqual([result, runs, lines], [{ value: [] }, [], []]);
});

/**
 * A PATH whose dpkg-query, apt-get and sudo are stand-ins: nothing is installed until `apt-get
 * install` runs (it is recorded, never real); sudo either refuses or runs the command.
 */
function stubs(t: TempFolderOwner, sudo: 'refuses' | 'passwordless'): { env: NodeJS.ProcessEnv; log: () => string[] } {
  const dir = tempFolder(t, 'apt-stubs');
  chmodSync(dir, 0o777); // the installer may run as an unprivileged user
  const script = (name: string, body: string) => writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  script('dpkg-query', 'if [ -f "$STUB_DIR/installed" ]; then printf "install ok installed"; exit 0; fi\nexit 1');
  script('apt-get', 'echo "apt-get $*" >> "$STUB_DIR/log"\n[ "$1" = install ] && touch "$STUB_DIR/installed"\nexit 0');
  script('sudo', sudo === 'refuses' ? 'echo "sudo: a password is required" >&2\nexit 1' : '[ "$1" = -n ] && shift\nexec "$@"');
  const log = join(dir, 'log');
  return {
    env: { PATH: `${dir}:/usr/bin:/bin`, STUB_DIR: dir, HOME: dir },
    log: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
  };
}

const asRoot = process.getuid?.() === 0;

/** The installer as `.ci/run` runs it, as an unprivileged user (root's tests switch to nobody). */
function runCli(env: NodeJS.ProcessEnv) {
  const asUser = asRoot ? { uid: 65534, gid: 65534 } : {};
  return spawnSync(process.execPath, [cli], { env, encoding: 'utf8', timeout: 60_000, ...asUser });
}

/** Run as root, the tests switch to nobody, who must reach the stubs: true (and skipped) when a private temp folder hides them. */
function hiddenFromNobody(t: { skip(why: string): void }, env: NodeJS.ProcessEnv): boolean {
  if (!asRoot) return false;
  for (let dir = env.STUB_DIR!; dir !== dirname(dir); dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      t.skip(`the temp folder ${dir} is private to root, so the installer cannot run as another user here`);
      return true;
    }
  }
  return false;
}

test('the installer without root or sudo prints the one command and exits 1, no stack trace', (t) => {
  const { env, log } = stubs(t, 'refuses');
  if (hiddenFromNobody(t, env)) return;
  const r = runCli(env);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr, `Running the tests and the demo needs Debian packages that are not installed: ${ALL_PACKAGES.join(' ')}\nInstall them with:\n  ${installCommand(ALL_PACKAGES)}\n`);
  assert.doesNotMatch(r.stderr, /^\s+at /m);
  assert.deepEqual(log(), [], 'nothing was installed');
});

test('the installer with passwordless sudo installs what is missing, saying so', (t) => {
  const { env, log } = stubs(t, 'passwordless');
  if (hiddenFromNobody(t, env)) return;
  const r = runCli(env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^Running the tests and the demo: installing Debian packages ${ALL_PACKAGES.join(' ')} \\(with sudo\\)$`, 'm'));
  assert.deepEqual(log(), ['apt-get update', `apt-get install -y --no-install-recommends ${ALL_PACKAGES.join(' ')}`]);
  const again = runCli(env);
  assert.deepEqual([again.status, again.stdout.trim()], [0, 'all present']);
});
