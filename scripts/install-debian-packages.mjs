// Installs the Debian packages every tier needs (lib/debian-packages.mjs) when some are missing:
// as root or with passwordless sudo; otherwise prints the one command to run and exits 1.
// `.ci/run` runs it first. Usage: node scripts/install-debian-packages.mjs
import { ALL_PACKAGES, ensureDebianPackages } from './lib/debian-packages.mjs';
import { runScript } from './lib/teardown.mjs';

runScript(async (teardown) => {
  const installed = await ensureDebianPackages(ALL_PACKAGES, 'Running the tests and the demo', { teardown });
  if (installed.length === 0) console.log('all present');
  return 0;
});
