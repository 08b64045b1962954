import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { MAX_CONTROL_FRAME, MAX_DATA_PAYLOAD, MAX_REASON_BYTES, ProtocolError, encodeDataHeader, encodeFrame } from '../../../src/tunnel/codec';
import { FrameDecoder } from '../../../src/tunnel/codecDecode';
import { PROTOCOL_VERSION, type Frame } from '../../../src/tunnel/protocol';

const samples: Frame[] = [
  { type: 'hello', version: PROTOCOL_VERSION, token: 's3cr3t-ütf8', role: 'extension' },
  { type: 'welcome', version: PROTOCOL_VERSION, agentVersion: '0.1.0', ports: [80, 8080, 65535] },
  { type: 'welcome', version: 7, agentVersion: '', ports: [] },
  { type: 'open', stream: 1, target: { kind: 'dial', host: 'db.default.svc.cluster.local', port: 5432 }, window: 262144 },
  { type: 'open', stream: 4294967295, target: { kind: 'inbound', port: 8080, peer: '10.0.0.7:51234' }, window: 16384 },
  { type: 'accept', stream: 3, window: 1 << 24 },
  { type: 'refuse', stream: 3, reason: 'connect ECONNREFUSED 10.0.0.1:5432' },
  { type: 'data', stream: 9, payload: new Uint8Array([1, 2, 3]) },
  { type: 'data', stream: 9, payload: new Uint8Array(0) },
  { type: 'credit', stream: 2, bytes: 4294967295 },
  { type: 'fin', stream: 5 },
  { type: 'reset', stream: 5, reason: '' },
  { type: 'ping', id: 0 },
  { type: 'pong', id: 123456 },
  { type: 'goaway', reason: 'replaced by a newer connection' },
];

test('every frame type round-trips', () => {
  for (const frame of samples) {
    const decoded = new FrameDecoder().push(encodeFrame(frame));
    assert.equal(decoded.length, 1, frame.type);
    if (frame.type === 'data') assert.deepEqual(Buffer.from((decoded[0] as typeof frame).payload), Buffer.from(frame.payload));
    else assert.deepEqual(decoded[0], frame);
  }
});

test('a stream of frames decodes the same whatever the chunking, one byte at a time included', () => {
  const bytes = Buffer.concat(samples.map((f) => encodeFrame(f)));
  for (const size of [1, 2, 3, 5, 7, 64, 1000, bytes.length]) {
    const decoder = new FrameDecoder();
    const frames: Frame[] = [];
    for (let i = 0; i < bytes.length; i += size) frames.push(...decoder.push(bytes.subarray(i, i + size)));
    // Re-encode: data frames split into pieces re-encode to the same payload bytes.
    const controls = frames.filter((f) => f.type !== 'data');
    assert.deepEqual(controls, samples.filter((f) => f.type !== 'data'), `chunk size ${size}`);
    const data = Buffer.concat(frames.filter((f) => f.type === 'data').map((f) => (f as { payload: Uint8Array }).payload));
    assert.deepEqual(data, Buffer.from([1, 2, 3]));
    assert.equal(decoder.pendingBytes, 0);
  }
});

test('data payloads are slices of the input, not copies', () => {
  const payload = randomBytes(70_000);
  const wire = Buffer.concat([encodeDataHeader(11, payload.length), payload]);
  const decoder = new FrameDecoder();
  const first = decoder.push(wire.subarray(0, 30_000));
  const second = decoder.push(wire.subarray(30_000));
  const parts = [...first, ...second].map((f) => {
    assert.equal(f.type, 'data');
    assert.equal((f as { stream: number }).stream, 11);
    return (f as { payload: Uint8Array }).payload;
  });
  assert.deepEqual(Buffer.concat(parts), payload);
  assert.equal(parts[0].buffer, wire.buffer, 'first piece shares memory with the input');
});

test('long reasons are cut to fit, oversized fields are refused at encode time', () => {
  const frame = new FrameDecoder().push(encodeFrame({ type: 'goaway', reason: 'é'.repeat(5000) }))[0] as { reason: string };
  assert.ok(Buffer.byteLength(frame.reason) <= MAX_REASON_BYTES);
  assert.match(frame.reason, /\.\.\.$/);
  assert.throws(() => encodeFrame({ type: 'hello', version: 1, token: 'x'.repeat(70_000), role: 'extension' }), RangeError);
  assert.throws(() => encodeFrame({ type: 'ping', id: -1 }), RangeError);
  assert.throws(() => encodeDataHeader(1, MAX_DATA_PAYLOAD + 1), RangeError);
});

test('malformed input throws ProtocolError and the decoder stays failed', () => {
  const cases: [string, Buffer][] = [
    ['zero length', Buffer.from([0, 0, 0, 0])],
    ['unknown type', Buffer.from([0, 0, 0, 1, 99])],
    ['truncated ping', Buffer.from([0, 0, 0, 3, 10, 0, 0])],
    ['trailing bytes', Buffer.from([0, 0, 0, 6, 10, 0, 0, 0, 1, 9])],
    ['oversized control', Buffer.from([0, 1, 0, 0, 12])],
    ['oversized data', (() => { const b = Buffer.alloc(9); b.writeUInt32BE(MAX_DATA_PAYLOAD + 6); b[4] = 6; return b; })()],
    ['data without stream', Buffer.from([0, 0, 0, 3, 6, 0, 0])],
    ['bad role', (() => { const f = encodeFrame({ type: 'hello', version: 1, token: 't', role: 'extension' }); f[f.length - 1] = 2; return f; })()],
    ['bad target kind', (() => { const f = encodeFrame({ type: 'open', stream: 1, window: 1, target: { kind: 'dial', host: 'h', port: 1 } }); f[13] = 9; return f; })()],
    ['string overruns', Buffer.from([0, 0, 0, 3, 12, 0, 5])],
  ];
  for (const [name, bytes] of cases) {
    const decoder = new FrameDecoder();
    assert.throws(() => decoder.push(bytes), ProtocolError, name);
    assert.throws(() => decoder.push(encodeFrame({ type: 'ping', id: 1 })), ProtocolError, `${name}: stays failed`);
  }
  assert.ok(MAX_CONTROL_FRAME < 0x10000);
});

// A decoder that hung on some input would keep the test from finishing: the timeout fails it then.
test('fuzz: random and mutated input only ever throws ProtocolError, and never hangs', { timeout: 120_000 }, () => {
  const valid = Buffer.concat(samples.map((f) => encodeFrame(f)));
  let failures = 0;
  for (let i = 0; i < 5000; i++) {
    let input: Buffer;
    if (i % 2 === 0) input = randomBytes(1 + (i % 300));
    else {
      input = Buffer.from(valid);
      for (let k = 0; k < 1 + (i % 5); k++) input[(input.length * Math.random()) | 0] = (Math.random() * 256) | 0;
    }
    const decoder = new FrameDecoder();
    try {
      for (let off = 0; off < input.length; off += 1 + (i % 17)) decoder.push(input.subarray(off, off + 1 + (i % 17)));
    } catch (err) {
      failures++;
      assert.ok(err instanceof ProtocolError, `input ${i} threw ${String(err)}`);
    }
  }
  assert.ok(failures > 1000, `most random inputs are malformed (${failures})`);
});
