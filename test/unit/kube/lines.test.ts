import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter } from '../../../src/kube/lines';

function split(chunks: Buffer[]): string[] {
  const splitter = new LineSplitter();
  const lines: string[] = [];
  for (const chunk of chunks) splitter.push(chunk, (l) => lines.push(l));
  splitter.flush((l) => lines.push(l));
  return lines;
}

test('lines across chunk boundaries, multi-byte characters split mid-way, blank lines skipped', () => {
  const text = '{"a":"héllo"}\n\n{"b":"✓✓"}\n{"c":1}';
  const bytes = Buffer.from(text);
  const expected = ['{"a":"héllo"}', '{"b":"✓✓"}', '{"c":1}'];
  for (let size = 1; size <= bytes.length; size++) {
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
    assert.deepEqual(split(chunks), expected, `chunk size ${size}`);
  }
});

test('refuses a line that never ends', () => {
  const splitter = new LineSplitter(10);
  assert.throws(() => splitter.push(Buffer.from('0123456789abc'), () => {}), /longer than 10 bytes/);
});
