import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mux, StreamClosedError, type MuxCloseReason } from '../../../src/tunnel/mux';
import type { OpenTarget } from '../../../src/tunnel/protocol';
import { ManualClock } from '../kube/manual-clock';
import { memoryPair, readAll, tcpPair, until, type MuxPair } from './muxFixtures';

const dial: OpenTarget = { kind: 'dial', host: 'db.default.svc', port: 5432 };
const inbound: OpenTarget = { kind: 'inbound', port: 8080, peer: '10.1.2.3:40000' };

for (const [name, makePair] of [
  ['memory', async () => memoryPair()],
  ['tcp', () => tcpPair()],
] as [string, () => Promise<MuxPair>][]) {
  test(`${name}: streams open from both sides carry bytes both ways with half-close`, async () => {
    const pair = await makePair();
    try {
      // The agent answers each request after the request's end (half-close), then ends too.
      pair.agent.onStream((stream, target) => {
        assert.deepEqual(target, dial);
        void readAll(stream).then((request) => stream.end(`agent got ${request.toString()}`));
      });
      pair.extension.onStream((stream, target) => {
        assert.deepEqual(target, inbound);
        void readAll(stream).then((request) => stream.end(`extension got ${request.toString()}`));
      });
      const out = await pair.extension.open(dial);
      assert.equal(out.id % 2, 1, 'extension numbers streams odd');
      out.end('ping');
      assert.equal((await readAll(out)).toString(), 'agent got ping');
      const back = await pair.agent.open(inbound);
      assert.equal(back.id % 2, 0, 'agent numbers streams even');
      back.end('pong');
      assert.equal((await readAll(back)).toString(), 'extension got pong');
      await until(() => pair.extension.stats.openStreams === 0 && pair.agent.stats.openStreams === 0, 2000, 'streams released');
      assert.ok(pair.extension.stats.bytesOut > 0 && pair.extension.stats.bytesIn > 0);
    } finally {
      pair.dispose();
    }
  });
}

test('a reset stream fails on both ends while its neighbours keep flowing', async () => {
  const pair = memoryPair();
  try {
    const peerErrors: Error[] = [];
    pair.agent.onStream((stream) => {
      stream.on('error', (e) => peerErrors.push(e));
      stream.pipe(stream); // echo
    });
    const a = await pair.extension.open(dial);
    const b = await pair.extension.open(dial);
    a.write('before');
    a.reset('the local client went away');
    await until(() => peerErrors.length === 1, 2000, 'peer error');
    assert.ok(peerErrors[0] instanceof StreamClosedError);
    assert.match(peerErrors[0].message, /reset the stream.*the local client went away/);
    b.end('still here');
    assert.equal((await readAll(b)).toString(), 'still here');
    assert.equal(pair.extension.isClosed, false);
    await until(() => pair.agent.stats.openStreams === 0 && pair.extension.stats.openStreams === 0, 2000, 'streams released');
  } finally {
    pair.dispose();
  }
});

test('destroying a stream with an error resets it for the peer', async () => {
  const pair = memoryPair();
  try {
    const errors: Error[] = [];
    pair.agent.onStream((stream) => stream.on('error', (e) => errors.push(e)).resume());
    const s = await pair.extension.open(dial);
    s.on('error', () => undefined);
    s.destroy(new Error('disk full'));
    await until(() => errors.length === 1, 2000, 'reset delivered');
    assert.match(errors[0].message, /disk full/);
  } finally {
    pair.dispose();
  }
});

test('a refused open rejects with the reason; nobody listening means refusal after the deadline', async () => {
  const pair = memoryPair({ dialTimeoutMs: 2000 }, { dialTimeoutMs: 100 });
  try {
    await assert.rejects(pair.extension.open(dial), /could not open a stream to db.default.svc:5432: nothing took the stream within 100 ms: nothing is listening/);
    pair.agent.onStream((stream) => {
      stream.deferAccept();
      setTimeout(() => stream.refuse('connect ECONNREFUSED 10.96.0.12:5432'), 10);
    });
    await assert.rejects(pair.extension.open(dial), /ECONNREFUSED 10\.96\.0\.12:5432/);
    assert.equal(pair.extension.stats.openStreams, 0);
    assert.equal(pair.agent.stats.openStreams, 0);
  } finally {
    pair.dispose();
  }
});

test('every open has a deadline, on both ends, and can be aborted', async () => {
  const clock = new ManualClock();
  const pair = memoryPair({ dialTimeoutMs: 150, clock }, { dialTimeoutMs: 400, clock });
  try {
    let agentClosedAt: number | undefined;
    pair.agent.onStream((stream) => {
      stream.deferAccept(); // never decides
      stream.on('close', () => (agentClosedAt = clock.now()));
    });
    let settled = false;
    const opening = pair.extension.open(dial).finally(() => (settled = true));
    await until(() => pair.agent.stats.openStreams === 1, 2000, 'the agent to see the open');
    const openedAt = clock.now();
    clock.advance(149);
    await flushIo();
    assert.equal(settled, false, 'still waiting 1 ms before the deadline');
    clock.advance(1);
    await assert.rejects(opening, /timed out after 150 ms/);
    await until(() => pair.agent.stats.openStreams === 0 && agentClosedAt !== undefined, 2000, 'agent side released');
    assert.equal(agentClosedAt, openedAt + 150, 'the opener reset the stream at its deadline, before the agent\'s own');

    const controller = new AbortController();
    const pending = pair.extension.open(dial, controller.signal);
    controller.abort();
    await assert.rejects(pending, { name: 'AbortError' });
    await until(() => pair.extension.stats.openStreams === 0 && pair.agent.stats.openStreams === 0, 2000, 'released after abort');
  } finally {
    pair.dispose();
  }
});

test('the accepting side refuses a stream nobody decided on within its deadline', async () => {
  const pair = memoryPair({ dialTimeoutMs: 5000 }, { dialTimeoutMs: 100 });
  try {
    pair.agent.onStream((stream) => stream.deferAccept());
    await assert.rejects(pair.extension.open(dial), /not accepted within 100 ms/);
  } finally {
    pair.dispose();
  }
});

test('streams opened before a handler is registered wait for it instead of being refused', async () => {
  const pair = memoryPair();
  try {
    const opening = pair.extension.open(dial);
    await new Promise((r) => setTimeout(r, 50));
    pair.agent.onStream((stream) => stream.pipe(stream));
    const s = await opening;
    s.end('late handler');
    assert.equal((await readAll(s)).toString(), 'late handler');
  } finally {
    pair.dispose();
  }
});

test('ping measures a round trip on the mux\'s clock', async () => {
  const clock = new ManualClock();
  const pair = memoryPair({ clock });
  try {
    const pinging = pair.extension.ping();
    clock.suspend(7); // 7 ms pass on the clock before the pong is read
    assert.equal(await pinging, 7);
    assert.equal(pair.extension.stats.rttMs, 7);
  } finally {
    pair.dispose();
  }
});

test('close says goaway, lets open streams finish, and both ends report why', async () => {
  const pair = memoryPair();
  const reasons: MuxCloseReason[] = [];
  pair.agent.onClose((r) => reasons.push(r));
  pair.extension.onClose((r) => reasons.push(r));
  pair.agent.onStream((stream) => stream.pipe(stream));
  const s = await pair.extension.open(dial);
  pair.extension.close('the user stopped the tunnel');
  await assert.rejects(pair.extension.open(dial), /tunnel is closing.*the user stopped the tunnel/);
  s.end('last words');
  assert.equal((await readAll(s)).toString(), 'last words');
  await until(() => reasons.length === 2, 3000, 'both ends closed');
  assert.deepEqual(
    reasons.map((r) => r.kind).sort(),
    ['goaway', 'local'],
  );
  assert.deepEqual(reasons.find((r) => r.kind === 'goaway'), { kind: 'goaway', reason: 'the user stopped the tunnel' });
});

test('close has a deadline: streams still open are failed when it passes', async () => {
  const clock = new ManualClock();
  const pair = memoryPair({ closeTimeoutMs: 150, clock });
  pair.agent.onStream((stream) => stream.on('error', () => undefined).resume());
  const s = await pair.extension.open(dial);
  let failedYet = false;
  const failed = new Promise<Error>((resolve) => s.once('error', (err) => resolve(err)));
  s.once('error', () => (failedYet = true));
  pair.extension.close('shutting down');
  clock.advance(149);
  await flushIo();
  assert.equal(failedYet, false, 'the stream may still finish before the deadline');
  clock.advance(1);
  const error = await failed;
  assert.match(error.message, /tunnel closed: .*shutting down/);
  pair.dispose();
});

test('a silent peer is declared dead after deadAfterMs', async () => {
  const clock = new ManualClock();
  // The peer's time stands still: it never pings on its own.
  const pair = memoryPair({ pingIntervalMs: 30, deadAfterMs: 250, clock }, { pingIntervalMs: 30, deadAfterMs: 250, clock: new ManualClock() });
  const reasons: MuxCloseReason[] = [];
  pair.extension.onClose((r) => reasons.push(r));
  // Freeze the peer: it stops reading, so nothing (pongs included) comes back.
  await flushIo(); // what the peer said on connecting arrives now
  (pair.agent as unknown as { connection: { pause(): void; removeAllListeners(e: string): void } }).connection.removeAllListeners('data');
  await stepClock(clock, 240);
  assert.deepEqual(reasons, [], 'not dead before deadAfterMs of silence');
  await stepClock(clock, 10);
  assert.deepEqual(reasons, [{ kind: 'dead', silentForMs: 250 }]);
  pair.dispose();
});

test('a process that was suspended (laptop sleep) asks again before declaring the peer dead', async () => {
  const clock = new ManualClock();
  const pair = memoryPair({ pingIntervalMs: 30, deadAfterMs: 250, clock });
  try {
    const reasons: MuxCloseReason[] = [];
    pair.extension.onClose((r) => reasons.push(r));
    clock.suspend(1300); // the whole process stalls, the peer included
    await stepClock(clock, 400);
    assert.deepEqual(reasons, [], 'the peer answered the fresh ping');
    assert.equal(pair.extension.isClosed, false);
  } finally {
    pair.dispose();
  }
});

/** Lets the in-memory connection deliver what was written. */
async function flushIo(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

/** Advances `clock` by `ms` in 10 ms steps, letting frames (pings and pongs) flow between steps. */
async function stepClock(clock: ManualClock, ms: number): Promise<void> {
  for (let done = 0; done < ms; done += 10) {
    clock.advance(Math.min(10, ms - done));
    await flushIo();
  }
}

test('garbage on the connection closes the mux with a protocol reason and tells the peer', async () => {
  const pair = memoryPair();
  const reasons: MuxCloseReason[] = [];
  pair.extension.onClose((r) => reasons.push(r));
  const conn = (pair.agent as unknown as { connection: { write(b: Buffer): void } }).connection;
  conn.write(Buffer.from([0, 0, 0, 1, 250]));
  await until(() => reasons.length === 1, 2000, 'protocol close');
  assert.equal(reasons[0].kind, 'protocol');
  assert.match((reasons[0] as { error: Error }).error.message, /unknown frame type 250/);
  pair.dispose();
});

test('losing the connection fails every open stream with an explained error', async () => {
  const pair = await tcpPair();
  pair.agent.onStream((stream) => stream.on('error', () => undefined).resume());
  const streams = await Promise.all([pair.extension.open(dial), pair.extension.open(dial)]);
  const errors = streams.map((s) => new Promise<Error>((resolve) => s.once('error', resolve)));
  const closed = new Promise<MuxCloseReason>((resolve) => pair.extension.onClose(resolve));
  pair.agent.dispose();
  assert.equal((await closed).kind, 'transport');
  for (const e of await Promise.all(errors)) assert.match(e.message, /The tunnel closed: the connection/);
  assert.equal(pair.extension.stats.openStreams, 0);
  await assert.rejects(pair.extension.open(dial), /tunnel is closed/);
  pair.dispose();
});

test('a Mux is disposable exactly once', () => {
  const pair = memoryPair();
  pair.dispose();
  pair.dispose();
  assert.ok(pair.extension.isClosed && pair.agent.isClosed);
  assert.ok(pair.extension instanceof Mux);
});
