// Throwaway folders owned by a Teardown: created under the system temp folder, removed at teardown.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(teardown, label) {
  const dir = mkdtempSync(join(tmpdir(), `tether-${label}-`));
  teardown.add(() => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));
  return dir;
}
