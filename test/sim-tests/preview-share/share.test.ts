// Shareable preview hosts end to end on the simulator: Preview Changes with a preview domain
// plans the gate and an Ingress (or HTTPRoute); through the simulator's ingress controller a visit
// without a token is refused with the reason, the signed link sets the cookie and reaches the
// developer's local process, expired and other sandboxes' tokens are refused, and deleting the
// sandbox removes the Ingress, HTTPRoute and key Secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeClient } from '../../../src/kube/api';
import { loadKubeconfig } from '../../../src/kube/config';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { sandboxSelector } from '../../../src/sandbox/labels';
import { PreviewLoop } from '../../../src/sandbox/preview/previewLoop';
import { previewKeySecretKey } from '../../../src/sandbox/preview/previewGateObjects';
import { previewKeyFromText, signPreviewToken, signedPreviewLink } from '../../../src/sandbox/preview/previewToken';
import type { SandboxSpec } from '../../../src/sandbox/spec';
import { shareCluster, shareSettings } from './shareCluster';

function localSpec(localPort: number): SandboxSpec {
  return {
    name: 'sample',
    baseline: { namespace: 'shop' },
    ttlSeconds: 7200,
    forks: [{ workload: { kind: 'Deployment', name: 'api' }, mode: 'local', env: {}, ports: [{ port: 3000, localPort }] }],
    preview: { service: 'api', port: 80, path: '/products' },
    checks: [],
  };
}

async function remaining(c: Awaited<ReturnType<typeof shareCluster>>, kind: 'Ingress' | 'HTTPRoute' | 'Secret', namespace: string): Promise<string[]> {
  const { items } = await c.client.listAll<KubeObject>(kinds[kind], namespace, { labelSelector: sandboxSelector('jane-main') }).catch(() => ({ items: [] as KubeObject[] }));
  return items.filter((o) => !o.metadata.deletionTimestamp).map((o) => o.metadata.name);
}

test('ingress mode: the link without a token is refused, with the token it sets the cookie and reaches the local process; expired and foreign tokens are refused; delete removes it all', async (t) => {
  const c = await shareCluster(t);
  const result = await c.loop.ensure(c.request(localSpec(c.localPort), shareSettings({ ingressClass: 'sim' })));
  assert.equal(result.status, 200, 'the health check stays on the local URL');
  assert.ok(result.share, 'the result carries the shareable link');
  assert.equal(result.share.url, 'http://jane-main.preview.test/products');
  assert.match(result.share.link, /^http:\/\/jane-main\.preview\.test\/products\?tether_token=v1\.jane-main\.\d+\.[\w-]{43}$/);
  assert.equal(Date.parse(result.share.expiresAt), Math.floor((c.now + 24 * 3600_000) / 1000) * 1000, 'valid for linkTtlHours from when it was signed');
  const ingress = await c.client.get<KubeObject>(kinds.Ingress, 'jane-main', 'tether-preview');
  assert.equal((ingress.spec as { ingressClassName?: string }).ingressClassName, 'sim');

  const refused = await c.visitWhenRouted(result.share.url);
  assert.equal(refused.status, 401);
  assert.match(refused.body, /private: open it through a link its developer shared/);

  const first = await c.visit(result.share.link);
  assert.equal(first.status, 303);
  assert.equal(first.headers.location, '/products');
  const cookie = String(first.headers['set-cookie']).split(';')[0];
  assert.match(cookie, /^tether_preview=v1\.jane-main\./);
  const page = await c.visit(result.share.url, { cookie: `${cookie}; theme=dark` });
  assert.equal(page.status, 200);
  assert.equal(page.body, 'local v1 /products cookie=theme=dark', 'the developer\'s process answers, without the gate\'s cookie');
  // Upgrades (WebSockets) pass through controller, gate and tunnel with the cookie, and are refused without it.
  assert.match(await c.upgrade('http://jane-main.preview.test/live', { cookie }), /^HTTP\/1.1 101[\s\S]*echo \/live ping$/);
  assert.match(await c.upgrade('http://jane-main.preview.test/live'), /^HTTP\/1.1 401/);

  // Links are signed with the key in the sandbox's Secret; one signed in the past has expired.
  const secret = await c.client.get<KubeObject & { data: Record<string, string> }>(kinds.Secret, 'jane-main', 'tether-preview-key');
  const key = previewKeyFromText(Buffer.from(secret.data[previewKeySecretKey], 'base64').toString('utf8'));
  const expired = await c.visit(signedPreviewLink(result.share.url, signPreviewToken(key, 'jane-main', Date.now() - 60_000)));
  assert.equal(expired.status, 401);
  assert.match(expired.body, /expired.*\n\nAsk the developer for a new link/s);
  const foreign = await c.visit(signedPreviewLink(result.share.url, signPreviewToken(key, 'joe-main', Date.now() + 60_000)));
  assert.equal(foreign.status, 403);
  assert.match(foreign.body, /another sandbox/);

  // The next Preview Changes (warm) signs a new link with the same key: both links work.
  const warm = await c.loop.ensure(c.request(localSpec(c.localPort), shareSettings({ ingressClass: 'sim' })));
  assert.equal(warm.warm, true);
  assert.equal((await c.visit(warm.share?.link ?? '')).status, 303);

  // Another window (a new loop) reads the same key from the sandbox's Secret: earlier links stay valid.
  const kubeconfig = loadKubeconfig({ KUBECONFIG: c.sim.kubeconfigPath });
  const other = new PreviewLoop({ openClient: (context) => KubeClient.forContext(kubeconfig, context), heartbeat: { intervalMs: 300 } });
  t.after(() => other.dispose());
  const again = await other.ensure(c.request(localSpec(c.localPort), shareSettings({ ingressClass: 'sim' })));
  assert.equal(again.warm, false);
  const reread = await c.client.get<KubeObject & { data: Record<string, string> }>(kinds.Secret, 'jane-main', 'tether-preview-key');
  assert.equal(reread.data[previewKeySecretKey], secret.data[previewKeySecretKey], 'the key was kept');
  assert.equal((await c.visit(result.share.link)).status, 303, 'the first link still works');
  other.stop(c.sim.context, 'jane-main');

  const deleted = await c.loop.delete(c.client, c.sim.context, { sandbox: 'jane-main', namespace: 'jane-main' });
  assert.ok(deleted.includes('Ingress/tether-preview'), deleted.join(', '));
  assert.ok(deleted.includes('Secret/tether-preview-key'), deleted.join(', '));
  assert.deepEqual(await remaining(c, 'Ingress', 'jane-main'), []);
  assert.deepEqual(await remaining(c, 'Secret', 'jane-main'), []);
  assert.equal((await c.visit(result.share.url)).status, 404, 'the controller no longer knows the host');
});

test('gateway mode without a local fork: an HTTPRoute to the sandbox\'s agent, whose gate refuses visitors without a link; delete removes the HTTPRoute', async (t) => {
  const c = await shareCluster(t);
  const spec: SandboxSpec = { name: 'sample', baseline: { namespace: 'shop' }, ttlSeconds: 7200, forks: [{ workload: { kind: 'Deployment', name: 'api' }, mode: 'env', env: { LOG_LEVEL: 'debug' }, ports: [] }], preview: { service: 'api', path: '/' }, checks: [] };
  // No local fork and no process answering the entry: the local health check is not what this test is about.
  const request = { ...c.request(spec, shareSettings({ gateway: { namespace: 'gateway-system', name: 'preview' } })), healthTimeoutMs: 1_500 };
  await c.loop.ensure(request).catch(() => undefined);
  const route = await c.client.get<KubeObject & { spec: { hostnames: string[]; parentRefs: { namespace: string; name: string }[] } }>(kinds.HTTPRoute, 'jane-main', 'tether-preview');
  assert.deepEqual(route.spec.hostnames, ['jane-main.preview.test']);
  assert.deepEqual(route.spec.parentRefs.map((p) => `${p.namespace}/${p.name}`), ['gateway-system/preview']);
  assert.deepEqual(await remaining(c, 'Ingress', 'jane-main'), []);
  const deployments = (await c.client.listAll<KubeObject>(kinds.Deployment, 'jane-main', { labelSelector: sandboxSelector('jane-main') })).items.map((d) => d.metadata.name).sort();
  assert.deepEqual(deployments, ['api', 'tether-agent'], 'the agent runs the gate; there is no pod of its own for it');

  const refused = await c.visitWhenRouted('http://jane-main.preview.test/');
  assert.equal(refused.status, 401);
  assert.match(refused.body, /open it through a link its developer shared/);

  await c.loop.delete(c.client, c.sim.context, { sandbox: 'jane-main', namespace: 'jane-main' });
  assert.deepEqual(await remaining(c, 'HTTPRoute', 'jane-main'), []);
});
