import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { mask, unmask } from '../../../src/kube/wsMask';

/** The reference: RFC 6455's byte-by-byte XOR, as `ws` does it without `bufferutil`. */
function byteMask(source: Uint8Array, key: Uint8Array, output: Uint8Array, offset: number, length: number): void {
  for (let i = 0; i < length; i++) output[offset + i] = source[i] ^ key[i & 3];
}

/** A view of `length` random bytes starting `shift` bytes into a fresh ArrayBuffer. */
function shifted(length: number, shift: number): Buffer {
  const backing = randomBytes(length + shift + 3);
  return backing.subarray(shift, shift + length);
}

test('mask equals the byte loop for any length, offset and alignment', () => {
  for (let round = 0; round < 600; round++) {
    const length = round < 100 ? round : randomInt(0, 70_000);
    const key = randomBytes(4);
    const source = shifted(length + randomInt(0, 5), randomInt(0, 4));
    const offset = randomInt(0, 16);
    const output = shifted(offset + length + randomInt(0, 5), randomInt(0, 4));
    const expected = Buffer.from(output);
    byteMask(source, key, expected, offset, length);
    const before = Buffer.from(source);
    mask(source, key, output, offset, length);
    assert.ok(output.equals(expected), `length ${length}, offset ${offset}, source at ${source.byteOffset}, output at ${output.byteOffset}`);
    assert.ok(source.equals(before), 'the source is left as it was');
  }
});

test('mask works in place, as ws uses it for buffers it may modify', () => {
  for (const length of [0, 3, 47, 48, 1000, 65_537]) {
    const key = randomBytes(4);
    const data = shifted(length, length % 4);
    const expected = Buffer.from(data);
    byteMask(data, key, expected, 0, length);
    mask(data, key, data, 0, length);
    assert.ok(data.equals(expected), `length ${length}`);
  }
});

test('unmask equals the byte loop and undoes mask', () => {
  for (let round = 0; round < 400; round++) {
    const length = round < 100 ? round : randomInt(0, 70_000);
    const key = randomBytes(4);
    const data = shifted(length, randomInt(0, 4));
    const original = Buffer.from(data);
    const expected = Buffer.from(data);
    byteMask(original, key, expected, 0, length);
    unmask(data, key);
    assert.ok(data.equals(expected), `length ${length} at ${data.byteOffset}`);
    unmask(data, key);
    assert.ok(data.equals(original));
  }
});
