// `tether … | head`: when the reader closes stdout before the CLI is done writing, the CLI stops
// quietly instead of dying with an unhandled EPIPE and its stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');

test('a closed stdout ends the CLI quietly, with the exit code it had', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), '--help'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.doesNotMatch(err, /EPIPE|Unhandled/, err);
  assert.equal(code, 0);
});
