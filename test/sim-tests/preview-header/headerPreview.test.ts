/**
 * Header-routed previews against the cluster under test: the baggage proxy forwards to the
 * baseline's entry Service through pods/portforward and every request (and WebSocket upgrade)
 * arrives with `tether-sandbox=<sandbox>` in its baggage, merged with what the client sent; an
 * entry without a ready pod answers 502 with the reason; Preview Changes in header mode opens the
 * proxy and reports the header. The entry service answers with what it received.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import WebSocket from 'ws';
import { KubeClient } from '../../../src/kube/api';
import { loadKubeconfig } from '../../../src/kube/config';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { BaggageProxy, proxyErrorHeader } from '../../../src/sandbox/preview/baggageProxy';
import { maxBaggageMembers } from '../../../src/sandbox/preview/baggage';
import { sandboxName } from '../../../src/sandbox/names';
import { PreviewLoop } from '../../../src/sandbox/preview/previewLoop';
import type { SandboxSpec } from '../../../src/sandbox/spec';
import { clusterFor, type ClusterUnderTest, type TestHandle } from '../../cluster/clusterUnderTest';
import { relayAgentScript } from '../agentBundles';
import { echoWorkload, idleScript } from './echoWorkload';

const suite = 'preview-header';

interface Echo {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
  remotePort: number;
  greeting: string;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(url: string, options: { method?: string; headers?: OutgoingHttpHeaders; body?: Buffer[]; agent?: Agent } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.once('error', reject);
    });
    req.once('error', reject);
    // Written chunk by chunk without a length: the body streams (chunked) through the proxy.
    for (const chunk of options.body ?? []) req.write(chunk);
    req.end();
  });
}

async function echo(url: string, options: Parameters<typeof send>[1] = {}): Promise<Echo> {
  const answer = await send(url, options);
  assert.equal(answer.status, 200, answer.body);
  assert.equal(answer.headers['x-echo'], 'yes');
  return JSON.parse(answer.body) as Echo;
}

async function echoBaseline(t: Pick<TestHandle, 'after'>): Promise<{ cluster: ClusterUnderTest; proxy: BaggageProxy }> {
  const cluster = await clusterFor(t, suite);
  for (const object of echoWorkload(cluster, cluster.namespace)) await cluster.apply(object);
  await cluster.waitForPodReady('app=echo');
  const proxy = await BaggageProxy.open({ client: cluster.client(), entry: { namespace: cluster.namespace, service: 'echo' }, sandbox: 'jane-main', path: '/products' });
  t.after(() => proxy.dispose());
  return { cluster, proxy };
}

test('every request through the proxy reaches the baseline entry with tether-sandbox in its baggage, merged with the client\'s', async (t) => {
  const { proxy } = await echoBaseline(t);
  assert.match(proxy.url, /^http:\/\/127\.0\.0\.1:\d+\/products$/);

  const plain = await echo(proxy.url);
  assert.equal(plain.url, '/products');
  assert.equal(plain.headers.baggage, 'tether-sandbox=jane-main');
  assert.equal(plain.headers.host, `127.0.0.1:${proxy.port}`, 'the browser\'s Host is kept, as the raw listener keeps it');
  assert.equal(plain.greeting, 'the baseline');

  const merged = await echo(proxy.url, { headers: { baggage: 'userId=alice, tether-sandbox=bob-feature;p=1, session=a%20b' } });
  assert.equal(merged.headers.baggage, 'tether-sandbox=jane-main,userId=alice,session=a%20b');

  const hops = await echo(`http://127.0.0.1:${proxy.port}/hop`, { headers: { connection: 'keep-alive, x-hop', 'x-hop': 'only this hop', te: 'trailers', 'x-end': 'kept' } });
  assert.equal(hops.headers['x-hop'], undefined, 'a header the Connection header names stays on its hop');
  assert.equal(hops.headers.te, undefined);
  assert.equal(hops.headers['x-end'], 'kept');

  const size = 4 * 1024 * 1024;
  const body = Array.from({ length: 64 }, () => Buffer.alloc(size / 64, 7));
  const posted = await echo(`http://127.0.0.1:${proxy.port}/upload`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(posted.method, 'POST');
  assert.equal(posted.bodyBytes, size);
  assert.equal(posted.headers['transfer-encoding'], 'chunked');
  assert.equal(posted.headers.baggage, 'tether-sandbox=jane-main');

  const health = await proxy.check({ timeoutMs: 5_000 });
  assert.equal(health.ok, true);
  assert.equal(proxy.lastProblem, undefined);
});

test('keep-alive: requests of one browser connection each carry the baggage, and the forward to the pod is reused', async (t) => {
  const { proxy } = await echoBaseline(t);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  t.after(() => agent.destroy());
  const first = await echo(proxy.url, { agent, headers: { baggage: 'a=1' } });
  const second = await echo(proxy.url, { agent });
  assert.equal(first.headers.baggage, 'tether-sandbox=jane-main,a=1');
  assert.equal(second.headers.baggage, 'tether-sandbox=jane-main', 'the second request of the connection gets its own header, not the first one\'s');
  assert.equal(second.remotePort, first.remotePort, 'one port-forward served both requests');
  // A new browser connection still reuses the kept forward.
  const third = await echo(proxy.url);
  assert.equal(third.remotePort, first.remotePort);
});

test('a WebSocket upgrade passes through with the baggage on the upgrade request', async (t) => {
  const { proxy } = await echoBaseline(t);
  const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/socket`, { headers: { baggage: 'traceId=1' } });
  t.after(() => ws.terminate());
  const messages: string[] = [];
  const next = () => new Promise<string>((resolve, reject) => {
    const shifted = messages.shift();
    if (shifted !== undefined) return resolve(shifted);
    ws.once('message', () => resolve(messages.shift()!));
    ws.once('error', reject);
  });
  ws.on('message', (data: Buffer) => messages.push(data.toString()));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  assert.deepEqual(JSON.parse(await next()), { baggage: 'tether-sandbox=jane-main,traceId=1' });
  ws.send('ping');
  assert.equal(await next(), 'echo:ping');
  ws.close();
});

test('an oversized baggage header is refused with 431 and why, before anything is forwarded', async (t) => {
  const { proxy } = await echoBaseline(t);
  const many = Array.from({ length: maxBaggageMembers }, (_, i) => `k${i}=v`).join(',');
  const answer = await send(proxy.url, { headers: { baggage: many } });
  assert.equal(answer.status, 431);
  assert.equal(answer.headers[proxyErrorHeader], 'proxy');
  assert.match(answer.body, /more than the 180 W3C Baggage allows/);
  assert.match(answer.body, /Next step: Send fewer baggage members/);
});

test('an entry without a ready pod answers 502 with the reason, and the health check reports it', async (t) => {
  const cluster = await clusterFor(t, suite);
  for (const object of echoWorkload(cluster, cluster.namespace, 'stuck', idleScript)) await cluster.apply(object);
  const client = cluster.client();
  const running = async () => (await client.list<KubeObject>(kinds.Pod, cluster.namespace, { labelSelector: 'app=stuck' })).items.some((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running');
  await cluster.until(running, 'the stuck pod to run');
  const proxy = await BaggageProxy.open({ client, entry: { namespace: cluster.namespace, service: 'stuck' }, sandbox: 'jane-main' });
  t.after(() => proxy.dispose());
  const answer = await send(proxy.url, { headers: { accept: 'text/html' } });
  assert.equal(answer.status, 502);
  assert.equal(answer.headers[proxyErrorHeader], 'Unreachable');
  assert.match(answer.headers['content-type'] ?? '', /text\/html/);
  assert.match(answer.body, /no pod behind it is ready: pod &#34;stuck-[^&]+&#34; is running but not ready/);
  assert.match(answer.body, /Next step: The preview answers once one is ready; read the pods&#39; logs/);

  const health = await proxy.check({ timeoutMs: 5_000 });
  assert.equal(health.ok, false);
  if (health.ok) return;
  assert.equal(health.failure.kind, 'entry');
  assert.match(proxy.explain(health).why, /no pod behind it is ready/);

  const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/socket`);
  ws.on('error', () => undefined);
  const refused = await new Promise<{ status: number; body: string }>((resolve) =>
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.once('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    }),
  );
  assert.equal(refused.status, 502);
  assert.match(refused.body, /no pod behind it is ready/);
});

test('Preview Changes with routing: header opens the proxy into the baseline and reports the header', async (t) => {
  const cluster = await clusterFor(t, suite);
  for (const object of echoWorkload(cluster, cluster.namespace)) await cluster.apply(object);
  await cluster.waitForPodReady('app=echo');
  const kubeconfig = loadKubeconfig({ KUBECONFIG: cluster.kubeconfigPath });
  const loop = new PreviewLoop({ openClient: (context) => KubeClient.forContext(kubeconfig, context), heartbeat: { intervalMs: 300 } });
  t.after(() => loop.dispose());
  const developer = cluster.developer('jane');
  const sandbox = sandboxName(developer, 'main');
  const spec: SandboxSpec = {
    name: 'echo',
    baseline: { namespace: cluster.namespace },
    ttlSeconds: 7200,
    forks: [{ workload: { kind: 'Deployment', name: 'echo' }, mode: 'env', env: { GREETING: 'the sandbox' }, ports: [] }],
    preview: { service: 'echo', path: '/products', routing: 'header' },
    checks: [],
  };
  const agent = await relayAgentScript();
  const request = { context: cluster.context, spec, developer, branch: 'main', holderIdentity: 'jane@laptop', agentScript: async () => agent, relayImage: cluster.images.relay, healthTimeoutMs: cluster.timeouts.podReadyMs };
  const result = await loop.ensure(request);
  assert.match(result.url, /^http:\/\/127\.0\.0\.1:\d+\/products$/);
  assert.deepEqual(result.routing, {
    mode: 'header',
    header: `baggage: tether-sandbox=${sandbox}`,
    entry: `echo.${cluster.namespace}`,
    curl: `curl -H 'baggage: tether-sandbox=${sandbox}' '${result.url}'`,
  });
  const answer = await echo(result.url);
  assert.equal(answer.headers.baggage, `tether-sandbox=${sandbox}`);
  assert.equal(answer.greeting, 'the baseline', 'the preview enters the baseline\'s Service; routing to the fork is the mesh\'s job');
  assert.equal(loop.summaries()[0].routingHeader, `baggage: tether-sandbox=${sandbox}`);

  const warm = await loop.ensure(request);
  assert.equal(warm.warm, true);
  assert.equal(warm.url, result.url);
  assert.equal(warm.routing?.header, result.routing?.header);
});
