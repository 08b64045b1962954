// Early data: a stream opened with openEarly carries its first bytes with the open, before the
// peer answers, so a new connection through the tunnel costs one round trip; the peer's window
// counts them, and a refusal, a deadline or a lost tunnel fails the stream with the reason.
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { StreamClosedError, type MuxStream } from '../../../src/tunnel/mux';
import { EARLY_DATA_WINDOW, type OpenTarget } from '../../../src/tunnel/protocol';
import { memoryPair, readAll, tcpPair, until, writeBytes, type MuxPair } from './muxFixtures';

const dial: OpenTarget = { kind: 'dial', host: 'api.shop.svc', port: 80 };

/** Reads what arrives on `stream` into a list, without answering it. */
function collect(stream: MuxStream): Buffer[] {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return chunks;
}

const size = (chunks: Buffer[]) => chunks.reduce((n, c) => n + c.length, 0);

/** The streams the agent side receives, left unanswered for the test to accept. */
function unanswered(pair: MuxPair): MuxStream[] {
  const seen: MuxStream[] = [];
  pair.agent.onStream((stream) => {
    stream.deferAccept();
    seen.push(stream);
  });
  return seen;
}

/** Runs `body` on a fresh pair and disposes it afterwards, however the body ends. */
async function onPair(make: () => MuxPair | Promise<MuxPair>, body: (pair: MuxPair) => Promise<void>): Promise<void> {
  const pair = await make();
  try {
    await body(pair);
  } finally {
    pair.dispose();
  }
}

test('the request goes out with the open: the peer has it before it accepts, and the answer follows the accept', () =>
  onPair(() => memoryPair(), async (pair) => {
    const seen = unanswered(pair);
    const { stream, accepted } = pair.extension.openEarly(dial);
    stream.write('GET / HTTP/1.1\r\n\r\n');
    await until(() => seen.length === 1, 2000, 'the open at the peer');
    const peer = seen[0];
    const request = collect(peer);
    await until(() => size(request) === 18, 2000, 'the request at the peer');
    // Nothing was answered yet, and the request is already at the peer: one round trip, not two.
    assert.equal(Buffer.concat(request).toString(), 'GET / HTTP/1.1\r\n\r\n');
    peer.accept();
    assert.equal(await accepted, stream);
    peer.end('HTTP/1.1 200 OK\r\n\r\n');
    stream.end();
    assert.equal((await readAll(stream)).toString(), 'HTTP/1.1 200 OK\r\n\r\n');
  }));

test('early data stops at the early window and the rest flows once the peer accepts', () =>
  onPair(() => tcpPair(), async (pair) => {
    const seen = unanswered(pair);
    const { stream, accepted } = pair.extension.openEarly(dial);
    const total = 4 * EARLY_DATA_WINDOW + 123;
    const sent = writeBytes(stream, total, 7, 4096);
    await until(() => seen.length === 1, 2000, 'the open at the peer');
    const peer = seen[0];
    const early = collect(peer);
    await until(() => size(early) === EARLY_DATA_WINDOW, 2000, 'the early window at the peer');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(size(early), EARLY_DATA_WINDOW, 'no more than the early window before the accept');
    peer.removeAllListeners('data');
    peer.pause();
    const head = Buffer.concat(early);
    const rest = readAll(peer);
    peer.accept();
    await accepted;
    const [hash, tail] = await Promise.all([sent, rest]);
    const all = Buffer.concat([head, tail]);
    assert.equal(all.length, total);
    assert.equal(createHash('sha256').update(all).digest('hex'), hash);
  }));

test('a refused early stream fails with the peer\'s reason; its early data is dropped', () =>
  onPair(() => memoryPair(), async (pair) => {
    pair.agent.onStream((stream) => {
      stream.deferAccept();
      setTimeout(() => stream.refuse('connecting to api.shop.svc:80 from the relay pod failed: ECONNREFUSED'), 10);
    });
    const { stream, accepted } = pair.extension.openEarly(dial);
    stream.write('GET / HTTP/1.1\r\n\r\n');
    const failed = new Promise<Error>((resolve) => stream.once('error', resolve));
    await assert.rejects(accepted, /could not open a stream to api\.shop\.svc:80: connecting .* ECONNREFUSED/);
    const error = await failed;
    assert.ok(error instanceof StreamClosedError);
    assert.equal(error.code, 'REFUSED');
    await until(() => pair.agent.stats.openStreams === 0 && pair.extension.stats.openStreams === 0, 2000, 'streams released');
  }));

test('an early stream the peer never answers fails at the deadline, and one whose tunnel goes away says so', async () => {
  await onPair(() => memoryPair({ dialTimeoutMs: 100 }), async (pair) => {
    pair.agent.onStream((stream) => stream.deferAccept());
    const late = pair.extension.openEarly(dial);
    const timedOut = new Promise<Error>((resolve) => late.stream.once('error', resolve));
    await assert.rejects(late.accepted, /timed out after 100 ms/);
    assert.match((await timedOut).message, /timed out after 100 ms/);
  });
  await onPair(() => tcpPair(), async (tcp) => {
    tcp.agent.onStream((stream) => stream.deferAccept());
    const lost = tcp.extension.openEarly(dial);
    const closed = new Promise<Error>((resolve) => lost.stream.once('error', resolve));
    tcp.agent.dispose();
    assert.match((await closed).message, /The tunnel closed/);
    await assert.rejects(lost.accepted, /The tunnel closed/);
    assert.throws(() => tcp.extension.openEarly(dial), /the tunnel is closed/);
  });
});

test('a request that ends with the open (data and fin before the accept) is answered in full', () =>
  onPair(() => memoryPair(), async (pair) => {
    pair.agent.onStream((stream) => {
      stream.deferAccept();
      setTimeout(() => {
        stream.accept();
        void readAll(stream).then((request) => stream.end(`got ${request.toString()}`));
      }, 20);
    });
    const { stream } = pair.extension.openEarly(dial);
    stream.end('ping');
    assert.equal((await readAll(stream)).toString(), 'got ping');
  }));
