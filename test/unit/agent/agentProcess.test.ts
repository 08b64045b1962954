import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer as createHttpServer, request, type Server as HttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { Mux, type MuxCloseReason } from '../../../src/tunnel/mux';
import { connectExtension, HandshakeError } from '../../../src/tunnel/muxHandshake';
import { joinStreams } from '../../../src/tunnel/muxSocket';
import { encodeFrame } from '../../../src/tunnel/codec';
import { FrameDecoder } from '../../../src/tunnel/codecDecode';
import { startAgentProcess, type AgentProcess } from './agentFixtures';
import { readAll, until } from '../tunnel/muxFixtures';

const TOKEN = 'tok-3f9c2a7e1b5d4c6f8a0e';

async function listen<T extends Server | HttpServer>(server: T): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** The developer's local service: GET answers hello, POST answers the SHA-256 of the body. */
function localService(): HttpServer {
  return createHttpServer((req, res) => {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      hash.update(c);
      bytes += c.length;
    });
    req.on('end', () => res.end(req.method === 'POST' ? `${bytes} ${hash.digest('hex')}` : `hello from local ${req.url}`));
  });
}

/** Extension side: every inbound stream goes to the local service. */
function forwardInbound(mux: Mux, localPort: number): void {
  mux.onStream((stream) => void joinStreams(stream, connect({ host: '127.0.0.1', port: localPort, allowHalfOpen: true })));
}

function httpCall(port: number, method: string, path: string, body?: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent: false }, (res) => {
      void readAll(res).then((b) => resolve(b.toString()), reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('the agent as a process: cluster callers reach the local service, the extension dials cluster services', { timeout: 60_000 }, async () => {
  const local = localService();
  const localPort = await listen(local);
  const clusterEcho = createServer({ allowHalfOpen: true }, (s) => s.pipe(s));
  const echoPort = await listen(clusterEcho);
  let agent: AgentProcess | undefined;
  let mux: Mux | undefined;
  try {
    agent = await startAgentProcess({ TETHER_TOKEN: TOKEN, TETHER_DATA_PORTS: '0', TETHER_DIAL_TIMEOUT_MS: '2000' });
    const { mux: m, welcome } = await connectExtension(await agent.connectControl(), TOKEN);
    mux = m;
    assert.deepEqual(welcome.ports, agent.dataPorts);
    assert.equal(welcome.agentVersion, '0.1.0');
    forwardInbound(mux, localPort);
    await agent.waitFor(/extension-connected/);

    // Inbound: a cluster caller on the data port gets the local service's answers.
    const dataPort = agent.dataPorts[0];
    assert.equal(await httpCall(dataPort, 'GET', '/api/orders'), 'hello from local /api/orders');
    const body = randomBytes(5 * 1024 * 1024);
    const answers = await Promise.all(Array.from({ length: 8 }, () => httpCall(dataPort, 'POST', '/upload', body)));
    const expected = `${body.length} ${createHash('sha256').update(body).digest('hex')}`;
    for (const a of answers) assert.equal(a, expected);
    await agent.waitFor(/inbound-closed stream=\d+ port=\d+ peer=127\.0\.0\.1:\d+/);

    // Outbound: dial a "cluster service" from the pod.
    const out = await mux.open({ kind: 'dial', host: '127.0.0.1', port: echoPort });
    out.end('via the relay');
    assert.equal((await readAll(out)).toString(), 'via the relay');
    const closed = createServer();
    const closedPort = await listen(closed);
    closed.close();
    await assert.rejects(mux.open({ kind: 'dial', host: '127.0.0.1', port: closedPort }), /connecting to 127\.0\.0\.1:\d+ from the relay pod failed: connect ECONNREFUSED/);
    await agent.waitFor(/dial-failed/);
    assert.ok(!agent.output().includes(TOKEN), 'the token never reaches the log');
  } finally {
    mux?.dispose();
    await agent?.stop();
    local.close();
    clusterEcho.close();
  }
});

test('wrong or missing tokens and wrong versions are rejected with a goaway that says why', { timeout: 30_000 }, async () => {
  const agent = await startAgentProcess({ TETHER_TOKEN: TOKEN });
  try {
    await assert.rejects(connectExtension(await agent.connectControl(), 'not-the-token'), (e: Error) => e instanceof HandshakeError && e.failure === 'rejected' && /session token does not match/.test(e.message));
    await assert.rejects(connectExtension(await agent.connectControl(), ''), /session token does not match/);
    await agent.waitFor(/extension-rejected .*session token does not match/);
    // An extension from another release speaks another protocol version.
    const old = await agent.connectControl();
    old.write(encodeFrame({ type: 'hello', version: 99, token: TOKEN, role: 'extension' }));
    const answer = new FrameDecoder().push(await readAll(old));
    assert.equal(answer.length, 1);
    assert.equal(answer[0].type, 'goaway');
    assert.match((answer[0] as { reason: string }).reason, /protocol version 99 is not supported.*speaks version 2; redeploy the relay/);
    // A client that speaks something else is dropped at once.
    const garbage = await agent.connectControl();
    garbage.write('GET / HTTP/1.1\r\n\r\n');
    await new Promise((resolve) => garbage.once('close', resolve));
    await agent.waitFor(/extension-rejected .*does not speak the tunnel protocol/);
    assert.ok(!agent.output().includes('not-the-token') && !agent.output().includes(TOKEN));
  } finally {
    await agent.stop();
  }
});

test('a newer connection takes inbound traffic and the older one keeps its streams; inbound callers are held briefly, then dropped', { timeout: 30_000 }, async () => {
  const local = localService();
  const localPort = await listen(local);
  const clusterEcho = createServer({ allowHalfOpen: true }, (s) => s.pipe(s));
  const echoPort = await listen(clusterEcho);
  const agent = await startAgentProcess({ TETHER_TOKEN: TOKEN, TETHER_DATA_PORTS: '0', TETHER_HOLD_MS: '1500' });
  try {
    const first = await connectExtension(await agent.connectControl(), TOKEN);
    const firstInbound: string[] = [];
    first.mux.onStream((stream) => {
      firstInbound.push('inbound');
      stream.refuse('the older window');
    });
    const second = await connectExtension(await agent.connectControl(), TOKEN);
    forwardInbound(second.mux, localPort);
    await agent.waitFor(/extension-connected connection=2 .*others=1/);
    assert.equal(await httpCall(agent.dataPorts[0], 'GET', '/x'), 'hello from local /x');
    assert.deepEqual(firstInbound, [], 'inbound traffic goes to the newest connection');
    // The older connection (another editor window, say) still dials cluster services.
    const echo = await first.mux.open({ kind: 'dial', host: '127.0.0.1', port: echoPort });
    echo.end('still here');
    assert.equal((await readAll(echo)).toString(), 'still here');
    assert.equal(first.mux.isClosed, false);
    first.mux.dispose();

    // No extension: the caller waits up to TETHER_HOLD_MS for one, then the agent closes it.
    second.mux.dispose();
    await agent.waitFor(/extension-disconnected connection=2/);
    const started = Date.now();
    await assert.rejects(httpCall(agent.dataPorts[0], 'GET', '/y'), /socket hang up|ECONNRESET/);
    assert.ok(Date.now() - started >= 1000, 'held for a while');
    await agent.waitFor(/inbound-dropped .*no extension connected within 1500 ms/);

    // An extension that connects while the caller is held gets the connection.
    const held = httpCall(agent.dataPorts[0], 'GET', '/late');
    await new Promise((r) => setTimeout(r, 300));
    const third = await connectExtension(await agent.connectControl(), TOKEN);
    forwardInbound(third.mux, localPort);
    assert.equal(await held, 'hello from local /late');
    third.mux.dispose();
  } finally {
    await agent.stop();
    local.close();
    clusterEcho.close();
  }
});

test('killing the agent mid-transfer fails the open streams cleanly and closes the mux', { timeout: 30_000 }, async () => {
  const bulk = createServer((s) => {
    const block = Buffer.alloc(64 * 1024, 3);
    const pump = () => {
      while (s.write(block));
    };
    s.on('drain', pump);
    s.on('error', () => undefined);
    pump();
  });
  const bulkPort = await listen(bulk);
  const agent = await startAgentProcess({ TETHER_TOKEN: TOKEN });
  try {
    const { mux } = await connectExtension(await agent.connectControl(), TOKEN, { pingIntervalMs: 200, deadAfterMs: 2000 });
    const closed = new Promise<MuxCloseReason>((resolve) => mux.onClose(resolve));
    const streams = await Promise.all([1, 2, 3].map(() => mux.open({ kind: 'dial', host: '127.0.0.1', port: bulkPort })));
    let received = 0;
    const failures = streams.map(
      (s) =>
        new Promise<Error>((resolve) => {
          s.on('data', (c: Buffer) => (received += c.length));
          s.once('error', resolve);
        }),
    );
    await until(() => received > 8 * 1024 * 1024, 10_000, 'transfer under way');
    agent.child.kill('SIGKILL');
    const reason = await closed;
    assert.equal(reason.kind, 'transport');
    for (const e of await Promise.all(failures)) assert.match(e.message, /The tunnel closed: the connection/);
    assert.equal(mux.stats.openStreams, 0);
  } finally {
    await agent.stop();
    bulk.close();
  }
});
