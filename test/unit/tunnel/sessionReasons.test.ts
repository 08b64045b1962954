import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExplainedError } from '../../../src/kube/errors';
import { HandshakeError } from '../../../src/tunnel/muxHandshake';
import { computerSlept, reasonFromClose, reasonFromError, relayNotReady } from '../../../src/tunnel/reconnectReason';
import { SleepWatch } from '../../../src/tunnel/reconnectSleep';
import { describeState } from '../../../src/tunnel/sessionState';

const explained = (reason: ExplainedError['reason'], why: string) => new ExplainedError({ reason, what: 'Port-forward to port 7457 of pod "relay"', why, remedy: 'do something' });

test('connect failures get causes; only credential, permission and version problems need the user', () => {
  const cases: [unknown, string, boolean][] = [
    [explained('CredentialsExpired', 'the token expired'), 'credentials', true],
    [explained('Unauthorized', 'not accepted'), 'credentials', true],
    [explained('Forbidden', 'user "jane" may not create pods/portforward'), 'forbidden', true],
    [explained('Unreachable', 'the cluster at https://x did not answer (ECONNREFUSED)'), 'api-server', false],
    [explained('Unreachable', 'nothing listens on port 7457 inside pod "relay"'), 'relay-not-ready', false],
    [explained('ServerError', 'HTTP 503'), 'api-server', false],
    [new HandshakeError('token does not match', 'rejected'), 'agent-rejected', true],
    [new HandshakeError('did not complete the handshake', 'timeout'), 'relay-not-ready', false],
  ];
  for (const [error, cause, needsUser] of cases) {
    const reason = reasonFromError(error);
    assert.equal(reason.cause, cause, String(error));
    assert.equal(reason.needsUser, needsUser, String(error));
    assert.ok(reason.message.length > 10);
  }
});

test('mux close reasons in plain words', () => {
  assert.equal(reasonFromClose({ kind: 'goaway', reason: 'agent shutting down' }).cause, 'agent-goaway');
  const dead = reasonFromClose({ kind: 'dead', silentForMs: 15_200 });
  assert.equal(dead.cause, 'network');
  assert.match(dead.message, /for 15 s/);
  const cut = reasonFromClose({ kind: 'transport', error: explained('Unreachable', 'the connection was cut (WebSocket close code 1006)') });
  assert.equal(cut.cause, 'proxy-closed');
  assert.match(cut.message, /idle or maximum-duration timeout/);
  assert.equal(reasonFromClose({ kind: 'transport', error: explained('Timeout', 'no keepalive reply') }).cause, 'network');
  assert.equal(reasonFromClose({ kind: 'protocol', error: new Error('bad frame') }).cause, 'protocol');
  assert.match(computerSlept(42_000).message, /asleep for about 42 s/);
  assert.equal(relayNotReady('relay pod "x" is starting').cause, 'relay-not-ready');
  // Every front door shows these (the editor's tunnel, the CLI's preview): no editor setting names.
  const stuck = relayNotReady('relay pod "x" cannot pull image "nope"', true);
  assert.equal(stuck.needsUser, true);
  assert.match(stuck.remedy ?? '', /relay image/);
  assert.doesNotMatch(stuck.remedy ?? '', /tether\.relay\.image|VS Code|palette/);
});

test('state descriptions for the status bar', () => {
  assert.equal(describeState({ phase: 'connected', pod: 'p', agentVersion: '1' }), 'connected');
  assert.equal(describeState({ phase: 'reconnecting', reason: computerSlept(20_000), attempt: 2, retryInMs: 2400 }), 'reconnecting in 2 s: the computer was asleep for about 20 s and the connection did not survive it');
});

test('a timer gap much longer than its interval counts as a sleep', async () => {
  let now = 1_000_000;
  const watch = new SleepWatch({ intervalMs: 20, slackMs: 200, now: () => now });
  try {
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(watch.recentSleep(), undefined);
    now += 60_000; // the clock jumps as it does after a suspend
    const slept = watch.recentSleep();
    assert.ok(slept && slept.sleptForMs >= 59_000, JSON.stringify(slept));
    now += 120_000;
    await new Promise((r) => setTimeout(r, 60));
    now += 5;
    assert.ok(watch.recentSleep(1_000), 'a second gap is a second sleep');
  } finally {
    watch.dispose();
  }
});

test('listening ports come from /proc/net/tcp rows in LISTEN state', async () => {
  const { listeningPorts } = await import('../../../src/tunnel/localTarget');
  const tcp = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1 1 0000000000000000 100 0 0 10 0',
    '   1: 0100007F:1F90 0100007F:D2B4 01 00000000:00000000 00:00000000 00000000  1000        0 2 1 0000000000000000 20 4 30 10 -1',
  ].join('\n');
  const tcp6 = ['header', '   0: 00000000000000000000000000000000:1388 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 3'].join('\n');
  const ports = await listeningPorts(async (p) => (p.endsWith('6') ? tcp6 : tcp));
  assert.deepEqual(ports, [3000, 5000]);
  assert.deepEqual(await listeningPorts(async () => Promise.reject(new Error('no /proc'))), []);
});

test('dialling the local process: 127.0.0.1, then ::1 for servers that bind only the IPv6 loopback', async (t) => {
  const { dialLocal } = await import('../../../src/tunnel/localTarget');
  const { createServer } = await import('node:net');
  const v6 = createServer((s) => {
    s.on('error', () => undefined);
    s.end('v6');
  });
  const listening = await new Promise<boolean>((resolve) => {
    v6.once('error', () => resolve(false));
    v6.listen(0, '::1', () => resolve(true));
  });
  t.after(() => v6.close());
  if (!listening) return t.skip('no IPv6 loopback on this machine');
  const port = (v6.address() as { port: number }).port;
  const result = await dialLocal({ host: '127.0.0.1', port });
  assert.ok(result.ok, 'reached the IPv6-only server');
  result.socket.destroy();
  v6.close();
  const refused = await dialLocal({ host: '127.0.0.1', port });
  assert.equal(refused.ok, false);
  assert.equal(!refused.ok && refused.message, `nothing listens on 127.0.0.1:${port} on this computer`);
});
