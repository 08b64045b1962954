// The relay's preview gate against a local upstream: token -> cookie -> proxied, refusals with
// their reasons, streaming bodies, WebSocket-style upgrades, and nothing of the gate upstream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { previewKeyFromText, signPreviewToken } from '../../../src/sandbox/preview/previewToken';
import { startPreviewGate } from '../../../src/agent/previewGate';
import { cookieValue, decide, upstreamHeaders, withoutGateCookie } from '../../../src/agent/previewGateRules';

const key = previewKeyFromText('m3kG8Qp0dYb2w9Zr4TnV1aXc6HsLjE5uFqRoPiKyW7g');
const sandbox = 'jane-main';
const hour = 3600_000;
/** The gate's clock, fixed: cookie lifetimes and expiry do not depend on how busy the machine is. */
const now = Date.UTC(2026, 11, 7, 12, 0, 0);

interface Seen { url: string; headers: IncomingHttpHeaders; body: string }

async function fixture(t: { after(fn: () => unknown): void }, extra: { baggage?: boolean } = {}) {
  const seen: Seen[] = [];
  const upstream = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      res.setHeader('x-upstream', 'yes');
      res.end(`upstream ${req.method} ${req.url} ${body}`);
    });
  });
  const upgraded = new Set<import('node:stream').Duplex>();
  upstream.on('upgrade', (req, socket) => {
    upgraded.add(socket);
    seen.push({ url: req.url ?? '', headers: req.headers, body: '' });
    socket.write('HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\nupgrade: echo\r\n\r\n');
    socket.on('data', (d: Buffer) => socket.write(`echo:${d.toString()}`));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const gate = await startPreviewGate({ host: '127.0.0.1', port: 0, key, sandbox, upstream: { host: '127.0.0.1', port: (upstream.address() as AddressInfo).port }, ...extra }, () => undefined, () => now);
  t.after(async () => {
    await gate.close();
    upstream.closeAllConnections();
    for (const s of upgraded) s.destroy();
    await new Promise((r) => upstream.close(r));
  });
  const call = (path: string, headers: Record<string, string> = {}, method = 'GET', body?: string) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: gate.port, path, method, headers: { host: 'jane-main.preview.test', ...headers }, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  return { gate, seen, call };
}

test('a link with a valid token sets the cookie and redirects without the token; the cookie then reaches upstream without the gate in it', async (t) => {
  const f = await fixture(t);
  const token = signPreviewToken(key, sandbox, now + hour);
  const first = await f.call(`/products?sort=asc&tether_token=${token}`, { 'x-forwarded-proto': 'https' });
  assert.equal(first.status, 303);
  assert.equal(first.headers.location, '/products?sort=asc');
  const cookie = String(first.headers['set-cookie']);
  assert.match(cookie, /^tether_preview=v1\.jane-main\.\d+\.[\w-]+; Path=\/; Max-Age=3600; HttpOnly; SameSite=Lax; Secure$/);
  assert.equal(f.seen.length, 0, 'the redirect is answered by the gate alone');

  const pair = cookie.split(';')[0];
  const next = await f.call('/products?sort=asc', { cookie: `theme=dark; ${pair}`, connection: 'keep-alive, x-private', 'x-private': 'drop me' }, 'POST', 'hello');
  assert.equal(next.status, 200);
  assert.equal(next.body, 'upstream POST /products?sort=asc hello');
  assert.equal(next.headers['x-upstream'], 'yes');
  const [upstream] = f.seen;
  assert.equal(upstream.headers.cookie, 'theme=dark', 'the gate cookie never goes upstream');
  assert.equal(upstream.headers['x-private'], undefined, 'headers named by Connection are hop-by-hop');
  assert.equal(upstream.headers['x-forwarded-host'], 'jane-main.preview.test');
  assert.equal(upstream.headers['x-forwarded-proto'], 'http');
  assert.match(String(upstream.headers['x-forwarded-for']), /127\.0\.0\.1/);
  assert.ok(!JSON.stringify(upstream).includes('tether_token'));
});

test('missing, expired, forged and other sandboxes\' tokens are refused with a page that says why', async (t) => {
  const f = await fixture(t);
  const missing = await f.call('/');
  assert.equal(missing.status, 401);
  assert.match(missing.body, /private: open it through a link its developer shared/);
  assert.match(missing.body, /Ask the developer for a new link/);
  const expired = await f.call(`/?tether_token=${signPreviewToken(key, sandbox, now - 1000)}`);
  assert.equal(expired.status, 401);
  assert.match(expired.body, /expired/);
  const other = await f.call(`/?tether_token=${signPreviewToken(key, 'joe-main', now + hour)}`);
  assert.equal(other.status, 403);
  assert.match(other.body, /another sandbox/);
  const forged = await f.call('/', { cookie: `tether_preview=${signPreviewToken(previewKeyFromText('A'.repeat(43)), sandbox, now + hour)}` });
  assert.equal(forged.status, 403);
  assert.match(forged.body, /not signed by this sandbox/);
  assert.equal((await f.call('/?tether_token=garbage')).status, 403);
  assert.equal(f.seen.length, 0);
});

test('an upgrade with the cookie (or the link\'s token) is passed through as a raw socket; without either it is refused', async (t) => {
  const f = await fixture(t);
  const token = signPreviewToken(key, sandbox, now + hour);
  const talk = (path: string, extra: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(f.gate.port, '127.0.0.1');
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => {
        text += d;
        if (text.includes('\r\n\r\n') && !text.includes('echo:') && text.startsWith('HTTP/1.1 101')) socket.write('ping');
        if (text.includes('echo:ping') || (text.includes('\r\n\r\n') && !text.startsWith('HTTP/1.1 101'))) socket.destroy();
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.write(`GET ${path} HTTP/1.1\r\nhost: jane-main.preview.test\r\nconnection: Upgrade\r\nupgrade: echo\r\n${extra}\r\n`);
    });
  const withCookie = await talk('/ws', `cookie: tether_preview=${token}\r\n`);
  assert.match(withCookie, /^HTTP\/1.1 101/);
  assert.match(withCookie, /echo:ping/);
  const withToken = await talk(`/ws?tether_token=${token}`, '');
  assert.match(withToken, /echo:ping/);
  assert.equal(f.seen.at(-1)?.url, '/ws', 'the token is not forwarded with the upgrade');
  assert.equal(f.seen.at(-1)?.headers.upgrade, 'echo');
  assert.match(await talk('/ws', ''), /^HTTP\/1.1 401/);
});

test('rules: cookies are parsed and removed, the token query wins over an older cookie', () => {
  assert.equal(cookieValue('a=1; tether_preview=abc; b=2', 'tether_preview'), 'abc');
  assert.equal(cookieValue('a=1', 'tether_preview'), undefined);
  assert.equal(withoutGateCookie('tether_preview=abc'), undefined);
  assert.equal(withoutGateCookie('a=1; tether_preview=abc; b=2'), 'a=1; b=2');
  const stale = signPreviewToken(key, sandbox, now - 1000);
  const fresh = signPreviewToken(key, sandbox, now + hour);
  const decision = decide({ key, sandbox }, { url: `/x?tether_token=${fresh}`, headers: { cookie: `tether_preview=${stale}` }, encrypted: false }, now);
  assert.equal(decision.kind, 'redirect');
  assert.ok(decision.kind === 'redirect' && !decision.cookie.includes('Secure'), 'no Secure flag over plain http');
  const headers = upstreamHeaders({ url: '/', headers: { host: 'h', 'x-forwarded-for': '10.0.0.1', 'transfer-encoding': 'chunked' }, encrypted: false }, '10.0.0.2');
  assert.equal(headers['x-forwarded-for'], '10.0.0.1, 10.0.0.2');
  assert.equal(headers['transfer-encoding'], undefined);
});

test('rules: the query reaches upstream as sent, only the token is taken out, and redirects stay on the host', async () => {
  const { splitToken } = await import('../../../src/agent/previewGateRules');
  assert.deepEqual(splitToken('/a?flag&q=a+b%20c'), { path: '/a?flag&q=a+b%20c' });
  assert.deepEqual(splitToken('/a?flag&tether_token=v1.x.1.s&q=a+b%20c'), { path: '/a?flag&q=a+b%20c', token: 'v1.x.1.s' });
  assert.deepEqual(splitToken('/?tether_token=t'), { path: '/', token: 't' });
  assert.deepEqual(splitToken('//evil.example/?tether_token=t'), { path: '/evil.example/', token: 't' });
  assert.deepEqual(splitToken('http://jane-main.preview.test/x?tether_token=t'), { path: '/x', token: 't' });
});

test('a header-routed gate puts the sandbox\'s baggage member first, keeps the visitor\'s, and refuses a baggage header with no room left', async (t) => {
  const f = await fixture(t, { baggage: true });
  const cookie = `tether_preview=${signPreviewToken(key, sandbox, now + hour)}`;
  const answer = await f.call('/', { cookie, baggage: 'userId=alice,tether-sandbox=old' });
  assert.equal(answer.status, 200);
  assert.equal(f.seen[0].headers.baggage, 'tether-sandbox=jane-main,userId=alice');
  const crowded = Array.from({ length: 180 }, (_, i) => `k${i}=v`).join(',');
  const refused = await f.call('/', { cookie, baggage: crowded });
  assert.equal(refused.status, 431);
  assert.match(refused.body, /cannot be routed to the sandbox: .*180/);
  assert.equal(f.seen.length, 1);
});
