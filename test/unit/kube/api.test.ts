import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { KubeClient } from '../../../src/kube/api';
import { loadKubeconfig } from '../../../src/kube/config';
import { ExplainedError } from '../../../src/kube/errors';
import { kinds } from '../../../src/kube/kinds';
import { expiredClientCertificate, generateServerCert, kubeconfigFor, sendJson, startLocalCluster, writeKubeconfig, type LocalCluster } from './local-cluster';

async function rejection(promise: Promise<unknown>): Promise<ExplainedError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ExplainedError, `expected ExplainedError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

function clientFor(cluster: LocalCluster, kubeconfigText?: string): KubeClient {
  const file = kubeconfigText ? writeKubeconfig(cluster.dir, `alt-${Math.random()}.yaml`, kubeconfigText) : cluster.kubeconfigPath;
  const loaded = loadKubeconfig({ KUBECONFIG: file });
  return KubeClient.forContext(loaded, loaded.currentContext ?? 'local');
}

const pod = (name: string, ns = 'team') => ({ metadata: { name, namespace: ns, uid: name, resourceVersion: '1' } });

test('request, get, version and paginated listAll over TLS with a bearer token', async (t) => {
  const cluster = await startLocalCluster((_req, res, url) => {
    if (url.pathname === '/version') return sendJson(res, 200, { major: '1', minor: '31', gitVersion: 'v1.31.0' });
    if (url.pathname === '/api/v1/namespaces/team/pods/web') return sendJson(res, 200, pod('web'));
    if (url.pathname === '/api/v1/namespaces/team/pods') {
      const page = Number(url.searchParams.get('continue') ?? '0');
      assert.equal(url.searchParams.get('limit'), '500');
      const items = page < 2 ? [pod(`p${page}a`), pod(`p${page}b`)] : [pod('last')];
      const metadata: Record<string, string> = { resourceVersion: `${100 + page}` };
      if (page < 2) metadata.continue = String(page + 1);
      return sendJson(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata, items });
    }
    sendJson(res, 404, { kind: 'Status', code: 404, reason: 'NotFound', message: 'the server could not find the requested resource' });
  });
  const client = clientFor(cluster);
  t.after(async () => {
    client.dispose();
    await cluster.close();
  });
  assert.equal(client.context, 'local');
  assert.equal(client.defaultNamespace, 'team');
  assert.equal(client.server, cluster.url);
  assert.equal((await client.version()).gitVersion, 'v1.31.0');
  assert.equal((await client.get<{ metadata: { name: string } }>(kinds.Pod, 'team', 'web')).metadata.name, 'web');
  const all = await client.listAll(kinds.Pod, 'team', { labelSelector: 'app=web' });
  assert.deepEqual(all.items.map((p) => p.metadata.name), ['p0a', 'p0b', 'p1a', 'p1b', 'last']);
  assert.equal(all.resourceVersion, '102');
  assert.ok(cluster.requests.some((r) => r.includes('labelSelector=app%3Dweb') && r.includes('continue=1')));
  const missing = await rejection(client.get(kinds.Pod, 'team', 'nope'));
  assert.equal(missing.reason, 'NotFound');
  assert.equal(missing.what, 'Get Pod "nope" in namespace "team"');
});

test('JSON bodies go out with their content type; delete sends propagationPolicy', async (t) => {
  const seen: { method?: string; type?: string; body: string }[] = [];
  const cluster = await startLocalCluster((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, type: req.headers['content-type'], body });
      sendJson(res, 200, { kind: 'Status', status: 'Success' });
    });
  });
  const client = clientFor(cluster);
  t.after(async () => {
    client.dispose();
    await cluster.close();
  });
  await client.request({ what: 'Patch', method: 'PATCH', path: '/api/v1/namespaces/team/configmaps/a', body: { data: { a: '1' } }, contentType: 'application/merge-patch+json' });
  await client.delete(kinds.Pod, 'team', 'web', { propagationPolicy: 'Foreground' });
  assert.deepEqual(seen[0], { method: 'PATCH', type: 'application/merge-patch+json', body: '{"data":{"a":"1"}}' });
  assert.equal(seen[1].method, 'DELETE');
  assert.equal(JSON.parse(seen[1].body).propagationPolicy, 'Foreground');
});

test('403 from the server is explained with the rule that grants it', async (t) => {
  const cluster = await startLocalCluster((_req, res) =>
    sendJson(res, 403, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "team"',
      reason: 'Forbidden',
      details: { kind: 'pods' },
      code: 403,
    }),
  );
  const client = clientFor(cluster);
  t.after(async () => {
    client.dispose();
    await cluster.close();
  });
  const err = await rejection(client.list(kinds.Pod, 'team'));
  assert.equal(err.reason, 'Forbidden');
  assert.equal(err.status, 403);
  assert.match(err.remedy, /verbs: \["list"\]/);
});

test('a wrong token is Unauthorized; an expired client certificate is CredentialsExpired', async (t) => {
  const cluster = await startLocalCluster(() => assert.fail('not reached'));
  t.after(() => cluster.close());
  const wrong = clientFor(cluster, kubeconfigFor(cluster.url, cluster.caPem, 'wrong-token'));
  t.after(() => wrong.dispose());
  assert.equal((await rejection(wrong.version())).reason, 'Unauthorized');

  const old = expiredClientCertificate();
  const certText = kubeconfigFor(cluster.url, cluster.caPem, 'wrong-token').replace(
    '    token: wrong-token',
    `    client-certificate-data: ${Buffer.from(old.cert).toString('base64')}\n    client-key-data: ${Buffer.from(old.key).toString('base64')}`,
  );
  const expired = clientFor(cluster, certText);
  t.after(() => expired.dispose());
  const err = await rejection(expired.version());
  assert.equal(err.reason, 'CredentialsExpired');
  assert.match(err.why, /client certificate expired at/);
});

test('unreachable server and untrusted certificates are explained', async (t) => {
  const cluster = await startLocalCluster(() => assert.fail('not reached'));
  t.after(() => cluster.close());
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const down = clientFor(cluster, kubeconfigFor(`https://127.0.0.1:${port}`, cluster.caPem));
  t.after(() => down.dispose());
  const unreachable = await rejection(down.version());
  assert.equal(unreachable.reason, 'Unreachable');
  assert.match(unreachable.why, new RegExp(`127\\.0\\.0\\.1:${port} did not answer \\(ECONNREFUSED\\)`));

  const other = generateServerCert();
  const untrusted = clientFor(cluster, kubeconfigFor(cluster.url, other.cert));
  t.after(() => untrusted.dispose());
  assert.equal((await rejection(untrusted.version())).reason, 'TlsError');

  const wrongHost = clientFor(cluster, kubeconfigFor(cluster.url.replace('127.0.0.1', 'localhost'), cluster.caPem));
  t.after(() => wrongHost.dispose());
  const mismatch = await rejection(wrongHost.version());
  assert.equal(mismatch.reason, 'TlsError');
  assert.match(mismatch.why, /not valid for that host name/);
});

test('exec plugins: a missing command is ExecPluginMissing with the install hint; a failing one ExecPluginFailed', async (t) => {
  const cluster = await startLocalCluster((_req, res) => sendJson(res, 200, { major: '1', minor: '31', gitVersion: 'v1.31.0' }), 'exec-token');
  t.after(() => cluster.close());
  const withExec = (command: string, args: string[]) =>
    kubeconfigFor(cluster.url, cluster.caPem).replace(
      '    token: test-token',
      [
        '    exec:',
        '      apiVersion: client.authentication.k8s.io/v1',
        `      command: ${command}`,
        `      args: ${JSON.stringify(args)}`,
        '      installHint: "Install it with: brew install tether-auth-plugin"',
        '      interactiveMode: Never',
      ].join('\n'),
    );
  const missing = clientFor(cluster, withExec('tether-auth-plugin-that-does-not-exist', []));
  t.after(() => missing.dispose());
  const err = await rejection(missing.version());
  assert.equal(err.reason, 'ExecPluginMissing');
  assert.match(err.why, /tether-auth-plugin-that-does-not-exist/);
  assert.match(err.remedy, /brew install tether-auth-plugin/);

  const script = writeKubeconfig(cluster.dir, 'plugin.js', "process.stderr.write('login required; token: s3cret\\n'); process.exit(1);");
  const failing = clientFor(cluster, withExec(process.execPath, [script]));
  t.after(() => failing.dispose());
  const failed = await rejection(failing.version());
  assert.equal(failed.reason, 'ExecPluginFailed');
  assert.match(failed.why, /login required/);
  assert.doesNotMatch(failed.message, /s3cret/);

  const good = writeKubeconfig(
    cluster.dir,
    'good-plugin.js',
    "process.stdout.write(JSON.stringify({apiVersion:'client.authentication.k8s.io/v1',kind:'ExecCredential',status:{token:'exec-token'}}));",
  );
  const working = clientFor(cluster, withExec(process.execPath, [path.resolve(good)]));
  t.after(() => working.dispose());
  assert.equal((await working.version()).minor, '31');
});

test('abort is Cancelled; timeouts are Timeout; dispose leaves no sockets', async (t) => {
  const cluster = await startLocalCluster(() => {
    /* never answers */
  });
  const client = clientFor(cluster);
  t.after(() => cluster.close());
  const controller = new AbortController();
  const pending = rejection(client.version(controller.signal));
  setTimeout(() => controller.abort(), 50);
  assert.equal((await pending).reason, 'Cancelled');
  const slow = await rejection(client.request({ what: 'Slow', path: '/slow', timeoutMs: 100 }));
  assert.equal(slow.reason, 'Timeout');
  client.dispose();
  const deadline = Date.now() + 2000;
  while (cluster.openSockets() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.equal(cluster.openSockets(), 0);
  assert.equal((await rejection(client.version())).reason, 'Cancelled');
});

test('API server warnings (Warning: 299) are logged', async (t) => {
  const cluster = await startLocalCluster((_req, res) => {
    res.setHeader('Warning', '299 - "unknown field \\"dta\\""');
    sendJson(res, 201, { kind: 'ConfigMap', metadata: { name: 'a' } });
  });
  const warnings: string[] = [];
  const logger = { trace() {}, debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
  const loaded = loadKubeconfig({ KUBECONFIG: cluster.kubeconfigPath });
  const client = KubeClient.forContext(loaded, 'local', logger);
  t.after(async () => {
    client.dispose();
    await cluster.close();
  });
  await client.request({ what: 'Create ConfigMap "a"', method: 'POST', path: '/api/v1/namespaces/team/configmaps', body: { data: { a: '1' } } });
  assert.deepEqual(warnings, ['Create ConfigMap "a": the API server warns: 299 - "unknown field \\"dta\\""']);
});

test('plain http servers (kubectl proxy) work', async (t) => {
  const server = createHttpServer((_req, res) => sendJson(res, 200, { major: '1', minor: '30', gitVersion: 'v1.30.0' }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const cluster = await startLocalCluster(() => {});
  t.after(() => cluster.close());
  const text = [
    'current-context: proxy',
    'clusters: [{name: proxy, cluster: {server: "http://127.0.0.1:' + (server.address() as AddressInfo).port + '"}}]',
    'users: [{name: me, user: {}}]',
    'contexts: [{name: proxy, context: {cluster: proxy, user: me}}]',
  ].join('\n');
  const client = clientFor(cluster, text);
  t.after(() => {
    client.dispose();
    server.closeAllConnections();
  });
  assert.equal((await client.version()).minor, '30');
  assert.equal(client.defaultNamespace, 'default');
});
