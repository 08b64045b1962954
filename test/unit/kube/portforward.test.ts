import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { KubeClient } from '../../../src/kube/api';
import { loadKubeconfig } from '../../../src/kube/config';
import { ExplainedError } from '../../../src/kube/errors';
import { openPortForward, type PortForwardStream } from '../../../src/kube/portforward';
import { tempFolder } from '../../tempFolder';
import { ManualClock } from './manual-clock';
import { generateServerCert, kubeconfigFor, until } from './local-cluster';

const token = 'pf-token';

type OnSession = (ws: WebSocket, req: IncomingMessage) => void;

interface ForwardServer {
  client: KubeClient;
  url: string;
  caPem: string;
  upgrades: IncomingMessage[];
  setSession(next: OnSession): void;
  refuseWith(status: number, body: unknown): void;
  close(): Promise<void>;
}

/** Sends one framed message: channel byte + payload. */
function frame(channel: number, payload: Buffer | string): Buffer {
  const data = Buffer.from(payload);
  return Buffer.concat([Buffer.from([channel]), data]);
}

function announce(ws: WebSocket, port: number): void {
  ws.send(Buffer.from([0, port & 0xff, port >> 8]));
  ws.send(Buffer.from([1, port & 0xff, port >> 8]));
}

/** An echo "pod": announces the port, then echoes data-channel bytes back. */
const echo: OnSession = (ws, req) => {
  const port = Number(new URL(req.url ?? '/', 'https://x').searchParams.get('ports'));
  announce(ws, port);
  ws.on('message', (data: Buffer) => {
    if (data[0] === 0) ws.send(frame(0, data.subarray(1)));
  });
};

async function startForwardServer(t: { after(fn: () => unknown): void }, options: { autoPong?: boolean } = {}): Promise<ForwardServer> {
  const pems = generateServerCert();
  const server = https.createServer({ key: pems.private, cert: pems.cert });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, autoPong: options.autoPong ?? true, handleProtocols: (p) => (p.has('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : false) });
  const sockets = new Set<Socket>();
  const upgrades: IncomingMessage[] = [];
  let session: OnSession = echo;
  let refusal: { status: number; body: unknown } | undefined;
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrades.push(req);
    const status = req.headers.authorization !== `Bearer ${token}` ? { status: 401, body: { kind: 'Status', code: 401, message: 'Unauthorized', reason: 'Unauthorized' } } : refusal;
    if (status) {
      const body = JSON.stringify(status.body);
      socket.end(`HTTP/1.1 ${status.status} Refused\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => session(ws, req));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'tether-pf-'));
  const file = path.join(dir, 'config');
  writeFileSync(file, kubeconfigFor(url, pems.cert, token));
  const client = KubeClient.forContext(loadKubeconfig({ KUBECONFIG: file }), 'local');
  const forward: ForwardServer = {
    client,
    url,
    caPem: pems.cert,
    upgrades,
    setSession: (next) => (session = next),
    refuseWith: (s, body) => (refusal = { status: s, body }),
    async close() {
      client.dispose();
      for (const ws of wss.clients) ws.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  t.after(() => forward.close());
  return forward;
}

function collect(stream: PortForwardStream): { text(): string; bytes(): number } {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { text: () => Buffer.concat(chunks).toString('utf8'), bytes: () => chunks.reduce((n, c) => n + c.length, 0) };
}

function failure(stream: PortForwardStream): Promise<Error> {
  return new Promise((resolve) => stream.once('error', resolve));
}

test('round trip through the framing: the port prefix is consumed, auth and subprotocol are sent', async (t) => {
  const server = await startForwardServer(t);
  const stream = await openPortForward(server.client, 'team', 'web-1', 8080);
  t.after(() => stream.destroy());
  const got = collect(stream);
  stream.write('hello ');
  stream.write('tunnel');
  await until(() => got.text() === 'hello tunnel', 3000, 'echo');
  const req = server.upgrades[0];
  assert.equal(req.url, '/api/v1/namespaces/team/pods/web-1/portforward?ports=8080');
  assert.equal(req.headers['sec-websocket-protocol'], 'v4.channel.k8s.io');
  assert.equal(req.headers.authorization, `Bearer ${token}`);
});

test('the port announced on a channel must be the one asked for', async (t) => {
  const server = await startForwardServer(t);
  server.setSession((ws) => announce(ws, 9999));
  const stream = await openPortForward(server.client, 'team', 'web-1', 8080);
  const err = await failure(stream);
  assert.ok(err instanceof ExplainedError);
  assert.match(err.why, /announced port 9999/);
});

test('error-channel text fails the stream with the reason in plain words', async (t) => {
  const server = await startForwardServer(t);
  server.setSession((ws) => {
    announce(ws, 8080);
    ws.send(frame(1, 'error forwarding port 8080 to pod abc, uid : failed to connect to localhost:8080 inside namespace "abc", IPv4: dial tcp4 127.0.0.1:8080: connect: connection refused '));
    ws.close(1000);
  });
  const stream = await openPortForward(server.client, 'team', 'web-1', 8080);
  const err = await failure(stream);
  assert.ok(err instanceof ExplainedError);
  assert.equal(err.reason, 'Unreachable');
  assert.match(err.why, /nothing listens on port 8080 inside pod "web-1"/);
});

test('a refused upgrade is explained: 403 names get and create on pods/portforward, 401 asks for fresh credentials', async (t) => {
  const server = await startForwardServer(t);
  server.refuseWith(403, {
    kind: 'Status',
    code: 403,
    reason: 'Forbidden',
    message: 'pods "web-1" is forbidden: User "jane" cannot create resource "pods/portforward" in API group "" in the namespace "team"',
  });
  const forbidden = await openPortForward(server.client, 'team', 'web-1', 8080).then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(forbidden instanceof ExplainedError);
  assert.equal(forbidden.reason, 'Forbidden');
  assert.match(forbidden.why, /may not create pods\/portforward/);
  assert.match(forbidden.remedy, /verbs: \["get", "create"\]/);
  assert.match(forbidden.remedy, /kubectl create role tether-tunnel-team -n team --verb=get,create --resource=pods\/portforward/);
  assert.equal(forbidden.access?.roles[0].name, 'tether-tunnel-team', 'the Role is offered as data too');

  server.refuseWith(400, { kind: 'Status', code: 400, message: 'unable to upgrade connection: pod web-1 is not running (phase Pending)' });
  const pending = await openPortForward(server.client, 'team', 'web-1', 8080).catch((e: unknown) => e);
  assert.ok(pending instanceof ExplainedError);
  assert.match(pending.remedy, /Running/);
});

test('a wrong token is reported as Unauthorized', async (t) => {
  const server = await startForwardServer(t);
  const file = path.join(tempFolder(t, 'pf-bad'), 'config');
  writeFileSync(file, kubeconfigFor(server.url, server.caPem, 'wrong-token'));
  const client = KubeClient.forContext(loadKubeconfig({ KUBECONFIG: file }), 'local');
  t.after(() => client.dispose());
  const err = await openPortForward(client, 'team', 'web-1', 8080).catch((e: unknown) => e);
  assert.ok(err instanceof ExplainedError);
  assert.equal(err.reason, 'Unauthorized');
  assert.doesNotMatch(err.message, /wrong-token/);
});

test('a slow reader pauses the WebSocket: the client buffers a bounded amount while the server backs up', async (t) => {
  const server = await startForwardServer(t);
  const total = 64 * 1024 * 1024;
  let serverWs: WebSocket | undefined;
  let sent = 0;
  server.setSession((ws) => {
    serverWs = ws;
    announce(ws, 8080);
    const chunk = frame(0, Buffer.alloc(64 * 1024, 7));
    const pump = () => {
      while (sent < total && ws.bufferedAmount < 4 * 1024 * 1024) {
        ws.send(chunk);
        sent += chunk.length - 1;
      }
      if (sent < total) setTimeout(pump, 5);
    };
    pump();
  });
  const stream = await openPortForward(server.client, 'team', 'web-1', 8080, undefined, { readHighWaterMark: 256 * 1024 });
  t.after(() => stream.destroy());
  stream.pause();
  await until(() => (serverWs?.bufferedAmount ?? 0) >= 4 * 1024 * 1024, 5000, 'the server to back up');
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(sent < total, 'the server could not push everything');
  assert.ok(stream.readableLength < 2 * 1024 * 1024, `client buffered ${stream.readableLength} bytes`);
  let received = 0;
  stream.on('data', (c: Buffer) => (received += c.length));
  stream.resume();
  await until(() => received === total, 20_000, 'everything after resuming');
});

test('writes wait while the WebSocket is backed up and complete once the server reads again', async (t) => {
  const server = await startForwardServer(t);
  let serverWs: WebSocket | undefined;
  let received = 0;
  server.setSession((ws) => {
    serverWs = ws;
    announce(ws, 8080);
    ws.pause();
    ws.on('message', (d: Buffer) => (received += d.length - 1));
  });
  const stream = await openPortForward(server.client, 'team', 'web-1', 8080, undefined, { sendHighWaterMark: 512 * 1024 });
  t.after(() => stream.destroy());
  const chunk = Buffer.alloc(256 * 1024, 1);
  let accepted = 0;
  const writeUntilBlocked = async () => {
    for (let i = 0; i < 2000; i++) {
      const more = stream.write(chunk, () => (accepted += chunk.length));
      if (!more) {
        const drained = await Promise.race([new Promise((r) => stream.once('drain', () => r(true))), new Promise((r) => setTimeout(() => r(false), 300))]);
        if (!drained) return i + 1;
      }
    }
    return 2000;
  };
  const writes = await writeUntilBlocked();
  assert.ok(writes < 2000, 'writes stopped completing');
  assert.ok(accepted < 100 * 1024 * 1024, `accepted ${accepted} bytes while the server read nothing`);
  serverWs?.resume();
  await until(() => received === writes * chunk.length, 20_000, 'the server to read everything');
});

test('keepalive: a server that stops answering pings is detected as dead', async (t) => {
  const server = await startForwardServer(t, { autoPong: false });
  const clock = new ManualClock();
  const stream = await openPortForward(server.client, 'team', 'web-1', 8080, undefined, { keepaliveMs: 100, clock });
  let settled = false;
  const dead = failure(stream).finally(() => (settled = true));
  // The pod side announces its port on both channels, then says nothing more.
  await until(() => (stream as unknown as { prefixSeen: boolean[] }).prefixSeen.every(Boolean), 5000, 'the port announcements');
  clock.advance(100); // the first ping goes out
  await new Promise((r) => setImmediate(r));
  assert.equal(settled, false, 'a ping not answered yet is not a failure');
  clock.advance(100); // still unanswered at the next tick
  const err = await dead;
  assert.ok(err instanceof ExplainedError);
  assert.equal(err.reason, 'Timeout');
  assert.match(err.why, /no keepalive reply/);
});

test('keepalive: pongs keep an idle connection alive', async (t) => {
  const server = await startForwardServer(t);
  const clock = new ManualClock();
  const stream = await openPortForward(server.client, 'team', 'web-1', 8080, undefined, { keepaliveMs: 50, clock });
  t.after(() => stream.destroy());
  let failed: Error | undefined;
  stream.on('error', (e) => (failed = e));
  const awaitingPong = () => (stream as unknown as { awaitingPong: boolean }).awaitingPong;
  for (let tick = 0; tick < 8; tick++) {
    clock.advance(50);
    await until(() => !awaitingPong() || failed !== undefined, 5000, 'the pong');
  }
  assert.equal(failed, undefined);
  assert.equal(stream.destroyed, false);
});

test('clean close both ways, and a cut connection is an error', async (t) => {
  const server = await startForwardServer(t);
  let serverWs: WebSocket | undefined;
  const codes: number[] = [];
  server.setSession((ws, req) => {
    serverWs = ws;
    ws.once('close', (code) => codes.push(code));
    echo(ws, req);
  });
  const first = await openPortForward(server.client, 'team', 'web-1', 8080);
  first.resume();
  const ended = new Promise((r) => first.once('end', r));
  serverWs?.close(1000);
  await ended;

  const second = await openPortForward(server.client, 'team', 'web-1', 8080);
  second.destroy();
  await until(() => codes.length === 2, 3000, 'server to see the close');
  assert.equal(codes[1], 1000);

  const third = await openPortForward(server.client, 'team', 'web-1', 8080);
  const cut = failure(third);
  serverWs?.terminate();
  const err = await cut;
  assert.ok(err instanceof ExplainedError);
  assert.equal(err.reason, 'Unreachable');
});

test('an aborted open rejects quietly as cancelled', async (t) => {
  const server = await startForwardServer(t);
  server.setSession(() => {});
  const controller = new AbortController();
  controller.abort();
  const err = await openPortForward(server.client, 'team', 'web-1', 8080, controller.signal).catch((e: unknown) => e);
  assert.ok(err instanceof ExplainedError);
  assert.equal(err.reason, 'Cancelled');
});
