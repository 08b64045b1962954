// The preview loop against the cluster under test: the sample's api forked to a local process,
// through the relay, out of the local preview URL; warm answers; failures explained; delete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { ExplainedError } from '../../../src/kube/errors';
import { kinds, resourcePath } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { sandboxSelector } from '../../../src/sandbox/labels';
import type { PreviewProgress } from '../../../src/sandbox/preview/previewLoop';
import { developerRules } from '../../cluster/testRoles';
import { greetingScript, greetingWorkload } from './previewBaseline';
import { fetchText, previewCluster, type PreviewCluster } from './previewCluster';

const suite = 'preview';

test('local fork: cold preview answers from the local process, the second call is warm, a change shows, delete removes it all', async (t) => {
  const c = await previewCluster(t, suite);
  const steps: PreviewProgress['step'][] = [];
  const cold = await c.loop.ensure(c.request(c.localSpec(), { onProgress: (p) => steps.push(p.step) }));
  assert.equal(cold.warm, false);
  assert.equal(cold.sandbox, c.sandbox);
  assert.equal(cold.namespace, c.sandbox);
  assert.match(cold.url, /^http:\/\/127\.0\.0\.1:\d+\/products$/);
  assert.equal(cold.status, 200);
  for (const step of ['sandbox', 'tunnel', 'heartbeat', 'listener', 'health', 'ready'] as const) assert.ok(steps.includes(step), `progress reported ${step}`);
  assert.ok(cold.pods.some((p) => p.role === 'agent' && p.ready), JSON.stringify(cold.pods));

  const first = await fetchText(cold.url);
  assert.deepEqual(first, { status: 200, body: 'local v1 /products' });

  const warm = await c.loop.ensure(c.request(c.localSpec()));
  assert.equal(warm.warm, true);
  assert.equal(warm.url, cold.url);
  // How fast a warm preview is, is measured by bench/preview.ts, not asserted here.

  c.reply.text = 'local v2';
  assert.equal((await fetchText(cold.url)).body, 'local v2 /products');

  // tether.yaml changes the local port: the sandbox is applied again and the tunnel delivers there.
  const other = createHttpServer((req, res) => res.end(`other process ${req.url}`));
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  t.after(() => {
    other.closeAllConnections();
    other.close();
  });
  const moved = await c.loop.ensure(c.request(c.localSpec((other.address() as AddressInfo).port)));
  assert.equal(moved.warm, false);
  assert.equal(moved.url, cold.url);
  assert.equal((await fetchText(cold.url)).body, 'other process /products');

  const running = c.loop.summaries();
  assert.equal(running.length, 1);
  assert.equal(running[0].tunnels[0].state, 'connected');
  assert.equal(running[0].heartbeat, 'renewing');

  const deleted = await c.loop.delete(c.client, c.context, { sandbox: c.sandbox, namespace: c.sandbox });
  assert.ok(deleted.includes(`Namespace/${c.sandbox}`), deleted.join(', '));
  assert.equal(c.loop.summaries().length, 0);
  await assert.rejects(fetchText(cold.url), /ECONNREFUSED/);
  const left = await c.client.listAll<KubeObject>(kinds.Deployment, c.sandbox, { labelSelector: sandboxSelector(c.sandbox) });
  assert.equal(left.items.filter((d) => !d.metadata.deletionTimestamp).length, 0);
  // The baseline is untouched.
  assert.ok((await c.client.get<KubeObject>(kinds.Deployment, c.shop, 'api')).metadata.name);
});

test('the agent pod is replaced: the same preview URL answers again from the new pod', async (t) => {
  const c = await previewCluster(t, suite);
  const result = await c.loop.ensure(c.request(c.localSpec()));
  const selector = `${sandboxSelector(result.sandbox)},app.kubernetes.io/component=relay`;
  const [old] = (await c.client.list<KubeObject>(kinds.Pod, result.namespace, { labelSelector: selector })).items;
  await c.client.delete(kinds.Pod, result.namespace, old.metadata.name);
  const deadline = Date.now() + c.cluster.timeouts.podReadyMs;
  let body = '';
  for (;;) {
    body = await fetchText(result.url).then((r) => r.body, () => '');
    const pods = (await c.client.list<KubeObject>(kinds.Pod, result.namespace, { labelSelector: selector })).items;
    if (body === 'local v1 /products' && !pods.some((p) => p.metadata.name === old.metadata.name)) break;
    if (Date.now() > deadline) throw new Error(`the preview did not come back (last answer: ${body || 'none'})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const again = await c.loop.ensure(c.request(c.localSpec()));
  assert.equal(again.url, result.url);
  assert.equal(again.warm, true);
});

test('no permission to create namespaces: the sandbox shares the baseline namespace, said plainly, and previews the same', async (t) => {
  const c = await previewCluster(t, suite);
  // A developer with the documented Role in the baseline's namespace: no namespaces of their own.
  const jane = (await c.developerWith(developerRules)).context;
  const result = await c.loop.ensure(c.request(c.localSpec(), { context: jane }));
  assert.equal(result.namespace, c.shop);
  assert.match(result.placementReason ?? '', /You may not create namespaces/);
  assert.ok(result.notes.some((n) => n.includes(`shares namespace "${c.shop}"`)), result.notes.join(' | '));
  assert.equal((await fetchText(result.url)).body, 'local v1 /products');
  // The baseline Service still selects the baseline's pods; the sandbox entered through its own.
  const baseline = await c.client.get<KubeObject>(kinds.Service, c.shop, 'api');
  assert.deepEqual((baseline.spec as { selector: Record<string, string> }).selector, { app: 'api' });
  await c.loop.delete(c.client, jane, { sandbox: result.sandbox, namespace: c.shop });
  assert.ok(await c.client.get<KubeObject>(kinds.Deployment, c.shop, 'api'));
});

test('the Lease is deleted elsewhere: the running sandbox stops here and says why; the next preview brings it back', async (t) => {
  const c = await previewCluster(t, suite);
  const first = await c.loop.ensure(c.request(c.localSpec()));
  const lost = new Promise<{ sandbox: string; why: string }>((resolve) => c.loop.onDidLose(resolve));
  await c.client.delete(kinds.Lease, first.namespace, 'tether-sandbox');
  const event = await lost;
  assert.equal(event.sandbox, c.sandbox);
  assert.ok(event.why.includes(`Lease "tether-sandbox" of sandbox "${c.sandbox}" was deleted`), event.why);
  assert.equal(c.loop.summaries().length, 0);
  await assert.rejects(fetchText(first.url), /ECONNREFUSED/);
  const again = await c.loop.ensure(c.request(c.localSpec()));
  assert.equal(again.warm, false);
  assert.equal((await fetchText(again.url)).body, 'local v1 /products');
});

/**
 * Copies the hello script into the sandbox's namespace when Tether left it in the baseline (its plan
 * then says so in a note), as the note asks; true when it did. Tether applies ConfigMaps before
 * Deployments, so once the fork's Deployment exists, a copy of Tether's own would be there too.
 */
async function copyScriptIfLeftBehind(c: PreviewCluster, preview: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void preview.then(
    () => (settled = true),
    () => (settled = true),
  );
  const forkApplied = async () => settled || (await c.client.listAll<KubeObject>(kinds.Deployment, c.sandbox, { labelSelector: sandboxSelector(c.sandbox) }).then((l) => l.items.length > 0, () => false));
  await c.cluster.until(forkApplied, `the fork's Deployment in namespace ${c.sandbox}`, c.cluster.timeouts.podReadyMs);
  if (settled || (await c.client.get<KubeObject>(kinds.ConfigMap, c.sandbox, 'hello-script').then(Boolean, () => false))) return false;
  await c.client.request({ what: 'Copy the hello script', method: 'POST', path: resourcePath(kinds.ConfigMap, c.sandbox), body: greetingScript(c.sandbox) });
  return true;
}

test('env fork of a workload reading a ConfigMap: in a namespace of its own the fork gets the script, and the preview answers with the changed environment', async (t) => {
  const c = await previewCluster(t, suite);
  for (const object of greetingWorkload(c.shop, c.cluster.images.relay)) await c.cluster.apply(object);
  await c.cluster.waitForPodReady('app=hello');
  const spec = {
    name: 'hello',
    baseline: { namespace: c.shop },
    ttlSeconds: 7200,
    forks: [{ workload: { kind: 'Deployment' as const, name: 'hello' }, mode: 'env' as const, env: { GREETING: 'the sandbox' }, ports: [] }],
    preview: { service: 'hello', path: '/hi' },
    checks: [],
  };
  const preview = c.loop.ensure(c.request(spec));
  const copiedByHand = await copyScriptIfLeftBehind(c, preview);
  const result = await preview;
  assert.equal(result.namespace, c.sandbox);
  if (copiedByHand) assert.ok(result.notes.some((n) => n.includes('reads ConfigMap "hello-script"')), result.notes.join(' | '));
  assert.deepEqual(await fetchText(result.url), { status: 200, body: 'hello from the sandbox /hi' });
  assert.ok(result.pods.some((p) => p.role === 'fork' && p.ready), JSON.stringify(result.pods));
  const warm = await c.loop.ensure(c.request(spec));
  assert.equal(warm.warm, true);
});

test('the local process answers 503: the preview fails with the status and body, and nothing keeps running', async (t) => {
  const c = await previewCluster(t, suite);
  c.reply.status = 503;
  c.reply.text = 'database is down';
  const healthTimeoutMs = await c.failingHealthTimeout(1500);
  const error = await c.loop.ensure(c.request(c.localSpec(), { healthTimeoutMs })).then(
    () => undefined,
    (err: unknown) => err,
  );
  assert.ok(error instanceof ExplainedError, String(error));
  assert.equal(error.reason, 'ServerError');
  assert.match(error.why, /HTTP 503.*database is down/);
  assert.equal(c.loop.summaries().length, 0, 'a preview that never answered leaves nothing running locally');
});

test('nothing listens locally: the preview says the relay could not reach the local process', async (t) => {
  const c = await previewCluster(t, suite);
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  const healthTimeoutMs = await c.failingHealthTimeout(2500);
  const error = await c.loop.ensure(c.request(c.localSpec(port), { healthTimeoutMs })).then(
    () => undefined,
    (err: unknown) => err,
  );
  assert.ok(error instanceof ExplainedError, String(error));
  assert.match(error.why, new RegExp(`could not reach your local api at 127\\.0\\.0\\.1:${port}`));
  assert.match(error.remedy, /Start api on this computer/);
});

test('an entry whose pods crash-loop: the preview says which pod and why', async (t) => {
  const c = await previewCluster(t, suite);
  // A fork to the relay's image (node, on every cluster under test) whose command exits at once.
  const crash = { workload: { kind: 'Deployment' as const, name: 'api' }, mode: 'image' as const, image: c.cluster.images.relay, command: ['node', '-e', 'process.exit(3)'], env: {}, ports: [] };
  const spec = { ...c.localSpec(), forks: [crash] };
  // Long enough for the container to start and exit at least once on a loaded machine.
  const healthTimeoutMs = await c.failingHealthTimeout(8000);
  const error = await c.loop.ensure(c.request(spec, { healthTimeoutMs })).then(
    () => undefined,
    (err: unknown) => err,
  );
  assert.ok(error instanceof ExplainedError, String(error));
  assert.match(error.why, /no pod behind it is ready: pod "api-[a-z0-9-]+"/);
  assert.match(error.why, /CrashLoopBackOff|exited|Error/);
});
