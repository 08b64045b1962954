// A cached, offline-capable install of code-server (the full VS Code server and workbench) under
// .vscode-test/code-server/. `npm install code-server` would download ripgrep and prebuilt native
// binaries from GitHub in its postinstall, so it is installed with --ignore-scripts and the
// postinstall steps are done here from local sources: native modules built with node-gyp against
// local Node headers, Debian's ripgrep, the symlinks, the built-in extensions' dependencies.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, copyFileSync, writeFileSync, lstatSync, chmodSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { CODE_SERVER_PACKAGES, ensureDebianPackages } from './debian-packages.mjs';
import { run } from './process-run.mjs';
import { REPO_ROOT } from './repo.mjs';

export const CODE_SERVER_VERSION = '4.100.3';
const INSTALL_DIR = join(REPO_ROOT, '.vscode-test', 'code-server');
const PACKAGE_DIR = join(INSTALL_DIR, 'node_modules', 'code-server');
const VSCODE_DIR = join(PACKAGE_DIR, 'lib', 'vscode');
const STAMP = join(INSTALL_DIR, '.installed');
// Bump when the steps below change, so cached installs are redone.
const RECIPE = 3;

const NATIVE_MODULES = ['kerberos', '@parcel/watcher', '@vscode/spdlog', '@vscode/deviceid', 'native-watchdog', 'node-pty'];

/** The code-server launcher (a Node script) of the cached install. */
export const CODE_SERVER_ENTRY = join(PACKAGE_DIR, 'out', 'node', 'entry.js');

function stampText() {
  return JSON.stringify({ version: CODE_SERVER_VERSION, recipe: RECIPE, node: process.versions.modules });
}

export function isCodeServerInstalled() {
  return existsSync(STAMP) && readFileSync(STAMP, 'utf8') === stampText() && existsSync(CODE_SERVER_ENTRY);
}

function nodeGyp() {
  const candidates = [
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  try {
    const npmRoot = execFileSync('npm', ['root', '-g'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    candidates.push(join(npmRoot, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  } catch {
    // npm root failing leaves the first candidate
  }
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`node-gyp (bundled with npm) not found; looked in:\n  ${candidates.join('\n  ')}`);
  return found;
}

/** Local Node headers, so node-gyp never downloads them. */
function nodeDir() {
  const prefix = resolve(dirname(process.execPath), '..');
  if (existsSync(join(prefix, 'include', 'node', 'node.h'))) return prefix;
  throw new Error(`Node headers not found under ${prefix}/include/node (install the nodejs headers, e.g. Debian's libnode-dev)`);
}

function link(target, path) {
  if (existsSync(path) || isDanglingLink(path)) rmSync(path, { recursive: true, force: true });
  symlinkSync(target, path);
}

function isDanglingLink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function log(step) {
  console.log(`[code-server] ${step}`);
}

/**
 * Installs code-server into the cache unless a matching install is already there, and the Debian
 * packages that takes (as root or with passwordless sudo; otherwise a ScriptError names the
 * command). Returns the launcher's path. With `teardown`, the commands it runs are owned by it.
 */
export async function ensureCodeServer({ force = false, teardown } = {}) {
  if (!force && isCodeServerInstalled()) return CODE_SERVER_ENTRY;
  await ensureDebianPackages(CODE_SERVER_PACKAGES, 'Installing code-server', { teardown });
  const release = await acquireInstallLock();
  try {
    // Another process may have finished the install while this one waited for the lock.
    if (!force && isCodeServerInstalled()) return CODE_SERVER_ENTRY;
    await install(teardown);
  } finally {
    release();
  }
  return CODE_SERVER_ENTRY;
}

const LOCK = join(INSTALL_DIR, '..', 'code-server.lock');

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One installer at a time (test runners may start together); a dead holder's lock is taken over. */
async function acquireInstallLock() {
  mkdirSync(dirname(LOCK), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let holder = 0;
    try {
      holder = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
    } catch {
      // the holder has not written its pid yet
    }
    if (holder && !alive(holder)) {
      rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (!announced) log(`waiting for another install (pid ${holder || '?'}) to finish`);
    announced = true;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function install(teardown) {
  const started = Date.now();
  const npmOpts = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
  rmSync(STAMP, { force: true });
  mkdirSync(INSTALL_DIR, { recursive: true });
  writeFileSync(join(INSTALL_DIR, 'package.json'), JSON.stringify({
    name: 'tether-code-server', private: true, description: 'code-server for Tether tests (generated)',
    dependencies: { 'code-server': CODE_SERVER_VERSION },
  }, null, 2));

  log(`npm install code-server@${CODE_SERVER_VERSION} --ignore-scripts`);
  await run('npm', ['install', ...npmOpts], { cwd: INSTALL_DIR, quiet: true, teardown });
  log('npm install (lib/vscode, production dependencies)');
  await run('npm', ['install', '--omit=dev', ...npmOpts], { cwd: VSCODE_DIR, quiet: true, teardown });

  const gyp = nodeGyp();
  const nodedir = nodeDir();
  const gypEnv = { ...process.env, npm_config_nodedir: nodedir };
  for (const name of NATIVE_MODULES) {
    const dir = join(VSCODE_DIR, 'node_modules', name);
    if (!existsSync(join(dir, 'binding.gyp'))) throw new Error(`${dir} has no binding.gyp: code-server's layout changed`);
    log(`node-gyp rebuild ${name}`);
    await run(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`, '--jobs=2'], { cwd: dir, env: gypEnv, quiet: true, teardown });
  }

  log('ripgrep from Debian');
  const rgBin = join(VSCODE_DIR, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgBin, { recursive: true });
  copyFileSync(execFileSync('which', ['rg'], { encoding: 'utf8' }).trim(), join(rgBin, 'rg'));
  chmodSync(join(rgBin, 'rg'), 0o755);

  log('symlinks');
  link('node_modules', join(VSCODE_DIR, 'node_modules.asar'));
  link('code-linux.sh', join(VSCODE_DIR, 'bin', 'remote-cli', 'code-server'));
  link('browser-linux.sh', join(VSCODE_DIR, 'bin', 'helpers', 'browser.sh'));

  log('npm install (built-in extensions)');
  await run('npm', ['install', '--omit=dev', ...npmOpts], { cwd: join(VSCODE_DIR, 'extensions'), quiet: true, teardown });

  const argon2 = argon2Dir();
  log('argon2 from source');
  const preGyp = createRequire(join(argon2, 'package.json')).resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp');
  await run(process.execPath, [preGyp, 'rebuild', '--build-from-source', `--nodedir=${nodedir}`], { cwd: argon2, env: gypEnv, quiet: true, teardown });

  writeFileSync(STAMP, stampText());
  log(`installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function argon2Dir() {
  for (const dir of [join(PACKAGE_DIR, 'node_modules', 'argon2'), join(INSTALL_DIR, 'node_modules', 'argon2')]) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error('argon2 not found in the code-server install');
}
