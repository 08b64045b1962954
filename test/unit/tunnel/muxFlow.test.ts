import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duplexPair } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Mux, type MuxStream } from '../../../src/tunnel/mux';
import { encodeDataHeader, encodeFrame } from '../../../src/tunnel/codec';
import { FrameDecoder } from '../../../src/tunnel/codecDecode';
import type { Frame, OpenTarget } from '../../../src/tunnel/protocol';
import { hashAll, memoryPair, readAll, tcpPair, until, writeBytes } from './muxFixtures';

const MiB = 1024 * 1024;
const heavy = process.env.TETHER_HEAVY === '1';
const stuckTarget: OpenTarget = { kind: 'dial', host: 'stuck', port: 1 };
const echoTarget: OpenTarget = { kind: 'dial', host: 'echo', port: 2 };

/** `count` echoes of a small message, one after the other; resolves with how many came back. */
async function roundTrips(stream: MuxStream, count: number): Promise<number> {
  let trips = 0;
  const message = Buffer.alloc(64, 7);
  for (let i = 0; i < count; i++) {
    stream.write(message);
    let got = 0;
    while (got < message.length) {
      const chunk = await new Promise<Buffer>((resolve) => stream.once('data', resolve));
      got += chunk.length;
    }
    trips++;
  }
  return trips;
}

test('a consumer that never reads holds one window; the other streams keep flowing', { timeout: 120_000 }, async () => {
  const pair = await tcpPair({ initialWindow: 256 * 1024 });
  try {
    pair.agent.onStream((stream, target) => {
      stream.on('error', () => undefined);
      if (target.kind === 'dial' && target.host === 'echo') stream.pipe(stream);
      // 'stuck' streams are accepted and never read.
    });
    const stuck = await pair.extension.open(stuckTarget);
    stuck.on('error', () => undefined);
    let pushed = 0;
    let stop = false;
    const block = Buffer.alloc(64 * 1024, 1);
    const pusher = (async () => {
      while (!stop && pushed < 300 * MiB) {
        if (stuck.write(block)) pushed += block.length;
        else {
          pushed += block.length;
          await Promise.race([new Promise((r) => stuck.once('drain', r)), until(() => stop, 60_000).catch(() => undefined)]);
        }
      }
    })();
    const echoes = await Promise.all([1, 2, 3, 4].map(() => pair.extension.open(echoTarget)));
    // Blocked behind the stuck stream, these would never finish (the test's timeout would end it);
    // how fast they are is bench/tunnel.ts's head-of-line measurement.
    const trips = await Promise.all(echoes.map((s) => roundTrips(s, 100)));
    stop = true;
    assert.deepEqual(trips, [100, 100, 100, 100], 'every echo came back while a stream is stuck');
    assert.ok(pushed < 2 * MiB, `the stuck writer was held back after ${pushed} bytes`);
    assert.ok(pair.agent.stats.bufferedBytes <= 256 * 1024 + 64 * 1024, `agent buffers ${pair.agent.stats.bufferedBytes} bytes`);
    assert.ok(pair.extension.stats.bufferedBytes <= 256 * 1024, `extension buffers ${pair.extension.stats.bufferedBytes} bytes`);
    for (const s of echoes) s.end();
    stuck.reset('test over');
    await pusher;
  } finally {
    pair.dispose();
  }
});

test('a reader that keeps up grows its window toward maxWindow', async () => {
  const pair = await tcpPair({ initialWindow: 64 * 1024, maxWindow: 4 * MiB });
  try {
    let received: MuxStream | undefined;
    const done = new Promise<{ sha256: string; bytes: number }>((resolve) =>
      pair.agent.onStream((stream) => {
        received = stream;
        void hashAll(stream).then(resolve);
      }),
    );
    const s = await pair.extension.open(echoTarget);
    const sent = await writeBytes(s, 48 * MiB, 42);
    const got = await done;
    assert.equal(got.sha256, sent);
    assert.ok(received!.recvWindow > 64 * 1024, `window grew to ${received!.recvWindow}`);
    assert.ok(received!.recvWindow <= 4 * MiB);
  } finally {
    pair.dispose();
  }
});

test('maxBufferedBytes caps the windows granted across many stuck streams, and they still deliver once read', async () => {
  const pair = memoryPair({ initialWindow: 256 * 1024, maxBufferedBytes: 1 * MiB });
  try {
    const accepted: MuxStream[] = [];
    pair.agent.onStream((stream) => void accepted.push(stream));
    const streams = await Promise.all(Array.from({ length: 16 }, () => pair.extension.open(echoTarget)));
    const sent = streams.map((s, i) => writeBytes(s, 2 * MiB, i + 1));
    await until(() => pair.agent.stats.bufferedBytes > 1 * MiB, 5000, 'windows filled');
    await new Promise((r) => setTimeout(r, 50));
    const cap = 1 * MiB + 12 * 16 * 1024;
    assert.ok(pair.agent.stats.bufferedBytes <= cap, `agent buffers ${pair.agent.stats.bufferedBytes} > ${cap}`);
    const hashes = await Promise.all(accepted.map((s) => hashAll(s)));
    const expected = await Promise.all(sent);
    assert.deepEqual(hashes.map((h) => h.sha256).sort(), [...expected].sort());
  } finally {
    pair.dispose();
  }
});

test(`${heavy ? '1 GiB' : '64 MiB'} across 64 streams both ways keeps every byte (SHA-256)`, { timeout: heavy ? 600_000 : 120_000 }, async () => {
  const pair = await tcpPair();
  const perStream = (heavy ? 1024 : 64) * MiB / 64;
  try {
    pair.agent.onStream((stream) => {
      void hashAll(stream).then((h) => stream.end(`${h.sha256} ${h.bytes}`));
    });
    const inboundHashes: Promise<string>[] = [];
    pair.extension.onStream((stream) => void inboundHashes.push(hashAll(stream).then((h) => h.sha256)));
    const outbound = Array.from({ length: 56 }, async (_, i) => {
      const s = await pair.extension.open(echoTarget);
      const answer = readAll(s);
      const sent = await writeBytes(s, perStream, 1000 + i);
      assert.equal((await answer).toString(), `${sent} ${perStream}`, `stream ${i}`);
    });
    const inbound = Array.from({ length: 8 }, async (_, i) => {
      const s = await pair.agent.open({ kind: 'inbound', port: 8080, peer: `10.0.0.${i}:1234` });
      return writeBytes(s, perStream, 5000 + i);
    });
    await Promise.all(outbound);
    const sentBack = await Promise.all(inbound);
    await until(() => inboundHashes.length === 8, 10_000, 'inbound streams');
    assert.deepEqual((await Promise.all(inboundHashes)).sort(), sentBack.sort());
  } finally {
    pair.dispose();
  }
});

test('10,000 open/close cycles leave no streams behind and a flat heap', { timeout: 120_000 }, async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const pair = memoryPair();
  try {
    pair.agent.onStream((stream) => stream.pipe(stream));
    const cycle = async () => {
      const s = await pair.extension.open(echoTarget);
      s.end('x');
      assert.equal((await readAll(s)).toString(), 'x');
    };
    const run = async (count: number) => {
      let next = 0;
      await Promise.all(Array.from({ length: 20 }, async () => {
        while (next++ < count) await cycle();
      }));
    };
    await run(1000);
    await until(() => pair.agent.stats.openStreams === 0 && pair.extension.stats.openStreams === 0, 2000, 'warm-up released');
    gc();
    const before = process.memoryUsage().heapUsed;
    await run(10_000);
    await until(() => pair.agent.stats.openStreams === 0 && pair.extension.stats.openStreams === 0, 2000, 'all released');
    gc();
    const delta = process.memoryUsage().heapUsed - before;
    assert.ok(delta < 4 * MiB, `heap grew by ${(delta / MiB).toFixed(2)} MiB over 10,000 cycles`);
    assert.equal(pair.agent.stats.bufferedBytes, 0);
    assert.equal(pair.extension.stats.bufferedBytes, 0);
  } finally {
    pair.dispose();
  }
});

test('a peer that overruns one stream\'s window gets that stream reset, not the session', async () => {
  const [ours, raw] = duplexPair();
  const mux = new Mux(ours, { side: 'extension', initialWindow: 16 * 1024 });
  const errors: Error[] = [];
  const accepted: MuxStream[] = [];
  mux.onStream((stream) => {
    accepted.push(stream);
    stream.on('error', (e) => errors.push(e));
  });
  const decoder = new FrameDecoder();
  const seen: Frame[] = [];
  raw.on('data', (chunk: Buffer) => seen.push(...decoder.push(chunk)));
  try {
    raw.write(encodeFrame({ type: 'open', stream: 2, window: 1000, target: echoTarget }));
    await until(() => seen.some((f) => f.type === 'accept' && f.stream === 2), 2000, 'accept');
    const payload = Buffer.alloc(20_000, 1);
    raw.write(Buffer.concat([encodeDataHeader(2, payload.length), payload]));
    await until(() => seen.some((f) => f.type === 'reset' && f.stream === 2), 2000, 'reset for the overrun');
    const reset = seen.find((f) => f.type === 'reset') as { reason: string };
    assert.match(reset.reason, /20000 bytes on stream 2 with only 16384 bytes of window left/);
    assert.match(errors[0].message, /the tunnel stays up/);
    raw.write(encodeFrame({ type: 'open', stream: 4, window: 1000, target: echoTarget }));
    await until(() => seen.some((f) => f.type === 'accept' && f.stream === 4), 2000, 'the session still accepts streams');
    // A stream the peer opened cannot write beyond the credit it was given.
    accepted[1].write(Buffer.alloc(5000, 2));
    await new Promise((r) => setTimeout(r, 50));
    const sent = seen.filter((f) => f.type === 'data' && f.stream === 4).reduce((n, f) => n + (f as { payload: Uint8Array }).payload.length, 0);
    assert.equal(sent, 1000);
    assert.equal(mux.isClosed, false);
  } finally {
    mux.dispose();
  }
});
