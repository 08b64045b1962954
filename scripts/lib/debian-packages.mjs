// The Debian packages the real-VS-Code tiers and the demo need: Chromium to drive the workbench,
// ripgrep for code-server's search, and the toolchain that builds code-server's native modules.
// One installer for `.ci/run` (scripts/install-debian-packages.mjs), the demo and the test runners:
// as root or with passwordless sudo it installs what is missing (saying what), otherwise it fails
// with the one command to run.
import { spawnSync } from 'node:child_process';
import { run } from './process-run.mjs';
import { ScriptError } from './script-error.mjs';

export const BROWSER_PACKAGES = ['chromium'];
export const CODE_SERVER_PACKAGES = [
  'ripgrep', 'build-essential', 'python3', 'pkg-config',
  'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev',
];
/** Everything any tier needs, as `.ci/run` installs it. */
export const ALL_PACKAGES = [...BROWSER_PACKAGES, ...CODE_SERVER_PACKAGES];

/** Names from `packages` that dpkg does not report as installed. */
export function missingPackages(packages) {
  return packages.filter((name) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

function succeeds(cmd, args) {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/**
 * How this process may install packages: 'root', 'sudo' (passwordless), 'none', or 'no-apt' when
 * the system has no apt-get.
 */
export function installPrivileges() {
  if (!succeeds('sh', ['-c', 'command -v apt-get'])) return 'no-apt';
  if (process.getuid?.() === 0) return 'root';
  return succeeds('sudo', ['-n', 'true']) ? 'sudo' : 'none';
}

/** The command a user runs to install `missing`. */
export function installCommand(missing) {
  return `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`;
}

/**
 * Makes sure `packages` are installed, for `purpose` (e.g. "Installing code-server"). Installs the
 * missing ones with one `apt-get update` and one `apt-get install` when it may; otherwise throws a
 * ScriptError naming them and the command that installs them. Resolves with what it installed.
 * With `deps.teardown` the apt-get runs are owned by it; `deps` also replaces how it looks,
 * decides, runs and reports (tests).
 */
export async function ensureDebianPackages(packages, purpose, deps = {}) {
  const { missing = missingPackages, privileges = installPrivileges, log = console.log, teardown } = deps;
  const exec = deps.exec ?? ((cmd, args, options) => run(cmd, args, { ...options, teardown }));
  const absent = missing(packages);
  if (absent.length === 0) return [];
  const how = privileges();
  if (how === 'no-apt') {
    throw new ScriptError(`${purpose} needs these Debian packages, and this system has no apt-get: ${absent.join(' ')}\nInstall their equivalents with your system's package manager, then run this again.`);
  }
  if (how === 'none') {
    throw new ScriptError(`${purpose} needs Debian packages that are not installed: ${absent.join(' ')}\nInstall them with:\n  ${installCommand(absent)}`);
  }
  const prefix = how === 'sudo' ? ['sudo', '-n'] : [];
  const apt = (args) => (prefix.length ? exec(prefix[0], [...prefix.slice(1), 'apt-get', ...args], { env: aptEnv() }) : exec('apt-get', args, { env: aptEnv() }));
  log(`${purpose}: installing Debian packages ${absent.join(' ')}${how === 'sudo' ? ' (with sudo)' : ''}`);
  await apt(['update']);
  await apt(['install', '-y', '--no-install-recommends', ...absent]);
  const still = missing(absent);
  if (still.length > 0) throw new ScriptError(`${purpose}: apt-get did not install ${still.join(' ')}; install them with:\n  ${installCommand(still)}`);
  return absent;
}

function aptEnv() {
  return { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
}
