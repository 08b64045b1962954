// The Debian packages the real-VS-Code tiers need: Chromium to drive the workbench, ripgrep for
// code-server's search, and the toolchain that builds code-server's native modules.
import { spawnSync } from 'node:child_process';

export const BROWSER_PACKAGES = ['chromium'];
export const CODE_SERVER_PACKAGES = [
  'ripgrep', 'build-essential', 'python3', 'pkg-config',
  'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev',
];

/** Names from `packages` that dpkg does not report as installed. */
export function missingPackages(packages) {
  return packages.filter((name) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

/** Throws an error naming the apt-get command when any of `packages` is missing. */
export function requirePackages(packages, purpose) {
  const missing = missingPackages(packages);
  if (missing.length === 0) return;
  throw new Error(
    `${purpose} needs Debian packages that are not installed: ${missing.join(' ')}\n` +
      `Install them with:\n  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`,
  );
}
