/**
 * Temp folders for tests: under the OS temp folder, named `tether-<what>-…`, removed when the test
 * (or the hook's owner) ends, also when it fails. The test runners fail a tier that leaves a
 * `tether-*` entry behind (scripts/lib/tier-temp.mjs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempFolderOwner {
  after(fn: () => void): void;
}

/** A fresh folder `tether-<what>-…`, removed after `owner` (a test context) ends. */
export function tempFolder(owner: TempFolderOwner, what: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tether-${what}-`));
  owner.after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));
  return dir;
}
