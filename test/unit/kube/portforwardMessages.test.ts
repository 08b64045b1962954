import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { MessagePool } from '../../../src/kube/portforwardMessages';

function packAll(pool: MessagePool, chunks: Buffer[]): { messages: Buffer[]; releases: (() => void)[] } {
  const messages: Buffer[] = [];
  const releases: (() => void)[] = [];
  pool.pack(chunks, 0, (message, release) => {
    messages.push(Buffer.from(message)); // a copy: the pooled buffer is reused after release
    releases.push(release);
  });
  return { messages, releases };
}

test('chunks become channel-prefixed messages of at most maxPayload bytes, in order', () => {
  const pool = new MessagePool(1000, 4);
  const chunks = [randomBytes(10), randomBytes(2500), randomBytes(1), randomBytes(700)];
  const { messages } = packAll(pool, chunks);
  assert.deepEqual(
    messages.map((m) => m.length),
    [1001, 1001, 1001, 212],
  );
  for (const m of messages) assert.equal(m[0], 0);
  assert.ok(Buffer.concat(messages.map((m) => m.subarray(1))).equals(Buffer.concat(chunks)));
});

test('large messages reuse released buffers, 2 bytes past a word boundary', () => {
  const pool = new MessagePool(64 * 1024, 2);
  const seen: Buffer[] = [];
  pool.pack([randomBytes(64 * 1024)], 0, (message, release) => {
    assert.equal(message.byteOffset % 4, 2);
    seen.push(message);
    release();
  });
  pool.pack([randomBytes(64 * 1024)], 0, (message, release) => {
    assert.equal(message.buffer, seen[0].buffer, 'the released buffer is used again');
    release();
  });
});

test('small messages never hold a pooled buffer', () => {
  const pool = new MessagePool(64 * 1024, 2);
  const { messages } = packAll(pool, [randomBytes(100)]);
  assert.equal(messages.length, 1);
  pool.pack([randomBytes(100)], 1, (message) => {
    assert.ok(message.buffer.byteLength < 64 * 1024);
    assert.equal(message[0], 1);
  });
});
