import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable, type Duplex } from 'node:stream';
import { FrameWriter } from '../../../src/tunnel/muxWriter';

/** A connection that records every write call's chunks (one entry per writev). */
function recordingConnection(): { connection: Writable; writes: Buffer[][] } {
  const writes: Buffer[][] = [];
  const connection = new Writable({
    highWaterMark: 16 * 1024 * 1024,
    writev(chunks, callback) {
      writes.push(chunks.map((c) => c.chunk as Buffer));
      callback();
    },
    write(chunk: Buffer, _encoding, callback) {
      writes.push([chunk]);
      callback();
    },
  });
  return { connection, writes };
}

const nextMicrotask = () => new Promise<void>((resolve) => queueMicrotask(resolve));
const nextImmediate = () => new Promise<void>((resolve) => setImmediate(resolve));

test('small frames leave within the same turn, in one batch', async () => {
  const { connection, writes } = recordingConnection();
  const writer = new FrameWriter(connection as unknown as Duplex);
  writer.writeFrame({ type: 'ping', id: 1 });
  writer.writeData(3, Buffer.alloc(64));
  assert.equal(writes.length, 0);
  await nextMicrotask();
  assert.equal(writes.length, 1);
  assert.equal(writes[0].length, 3); // ping, data header, payload
});

test('bulk data waits for the end of the round of I/O and leaves as one write', async () => {
  const { connection, writes } = recordingConnection();
  const writer = new FrameWriter(connection as unknown as Duplex);
  writer.writeData(3, Buffer.alloc(64 * 1024));
  await nextMicrotask();
  writer.writeData(5, Buffer.alloc(64 * 1024));
  writer.writeFrame({ type: 'credit', stream: 3, bytes: 1000 });
  await nextMicrotask();
  assert.equal(writes.length, 0);
  await nextImmediate();
  assert.equal(writes.length, 1);
  assert.equal(writes[0].length, 5);
  assert.equal(writer.bytesOut, 2 * (9 + 64 * 1024) + 13);
});

test('a batch that reaches 1 MiB is written at once', () => {
  const { connection, writes } = recordingConnection();
  const writer = new FrameWriter(connection as unknown as Duplex);
  for (let i = 0; i < 16; i++) writer.writeData(3, Buffer.alloc(64 * 1024));
  assert.equal(writes.length, 1);
  assert.equal(writes[0].length, 32);
});

test('disposing with discard drops what is queued', async () => {
  const { connection, writes } = recordingConnection();
  const writer = new FrameWriter(connection as unknown as Duplex);
  writer.writeData(3, Buffer.alloc(64 * 1024));
  writer.dispose(true);
  writer.writeFrame({ type: 'ping', id: 2 });
  await nextImmediate();
  assert.equal(writes.length, 0);
});
