// A temp folder of its own for one test tier: TMPDIR (and TMP, TEMP) point at it while the tier
// runs, so what the tier leaves behind is told apart from other runs' files on a shared machine.
// After the tier every `tether-*` entry still in it is a leak (tests name their temp folders
// tether-<what>-…); the folder itself goes either way.
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Starts a tier's temp folder; `env` goes into the tier's environment, `finish()` ends it. */
export function tierTemp(label) {
  const dir = mkdtempSync(join(tmpdir(), `tier-${label.replace(/[^a-z0-9]+/gi, '-')}-`));
  // As open as the system temp folder it stands in for (tests run helpers as other users).
  chmodSync(dir, 0o1777);
  return {
    dir,
    env: { TMPDIR: dir, TMP: dir, TEMP: dir },
    /** Removes the folder; resolves with the `tether-*` entries the tier left in it. */
    finish() {
      const left = readdirSync(dir).filter((name) => name.startsWith('tether-')).sort();
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      return left;
    },
  };
}

/** The failure line for entries a tier left behind, or undefined when it left none. */
export function leftoverReport(title, left) {
  if (left.length === 0) return undefined;
  return `${title} left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temp folder (a test, bench or script that does not remove what it makes): ${left.join(', ')}`;
}
