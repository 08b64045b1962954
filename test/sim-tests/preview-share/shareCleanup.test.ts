// The agent of a sandbox with a shareable host and no local fork runs the gate and the
// self-cleanup in one pod: once the Lease lapses past the TTL it deletes the sandbox's objects in a
// shared namespace, the Ingress included (its Role may list and delete exactly that Ingress), and
// the Lease takes the key Secret and the agent along.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { createSandbox } from '../../../src/sandbox/lifecycle/create';
import { sandboxSelector } from '../../../src/sandbox/labels';
import { sandboxAgentFor } from '../../../src/sandbox/agentSecrets';
import type { SandboxSpec } from '../../../src/sandbox/spec';
import { developerRules } from '../../cluster/testRoles';
import { grant } from '../sim/sim-client';
import { agentScript } from '../tunnel/sessionCluster';
import { shareCluster, shareSettings } from './shareCluster';

test('shared namespace, no local fork: after the Lease lapses the agent deletes the Ingress and the rest, the key Secret goes with the Lease', async (t) => {
  const c = await shareCluster(t, { users: [{ name: 'jane' }] });
  // jane holds the README's developer Role in shop and nothing cluster-wide: no namespaces of her own.
  await grant(c.sim, 'shop', 'tether-developer', { kind: 'User', name: 'jane' }, developerRules);
  const client = c.clientOf('jane');
  // tether.yaml allows a TTL of 1 minute at least; the clock is shortened here.
  const spec: SandboxSpec = { name: 'sample', baseline: { namespace: 'shop' }, ttlSeconds: 2, forks: [{ workload: { kind: 'Deployment', name: 'api' }, mode: 'env', env: { LOG_LEVEL: 'debug' }, ports: [] }], preview: { service: 'api', path: '/' }, checks: [] };
  let key = '';
  const agent = sandboxAgentFor(client, { share: shareSettings(), agentScript: await agentScript(), cleanupPollMs: 100, onToken: () => undefined, onKey: (k) => (key = k) });
  const { plan } = await createSandbox(client, { spec, developer: 'jane', branch: 'main', holderIdentity: 'jane@laptop', agent, leaseDurationSeconds: 1 });
  assert.equal(plan.namespace, 'shop');
  assert.ok(key.length > 40);
  const names = async (kind: 'Ingress' | 'Deployment' | 'Secret' | 'Service') => (await c.client.listAll<KubeObject>(kinds[kind], 'shop', { labelSelector: sandboxSelector(plan.sandbox) })).items.filter((o) => !o.metadata.deletionTimestamp).map((o) => o.metadata.name).sort();
  assert.deepEqual(await names('Ingress'), ['jane-main-tether-preview']);
  assert.deepEqual(await names('Deployment'), ['jane-main-api', 'jane-main-tether-agent'], 'one agent pod runs the gate and the cleanup');
  // The gate answers through the Ingress until the sandbox is gone.
  assert.equal((await c.visitWhenRouted('http://jane-main.preview.test/')).status, 401);

  const deadline = Date.now() + 20_000;
  for (;;) {
    const left = [...(await names('Ingress')), ...(await names('Deployment')), ...(await names('Secret')), ...(await names('Service'))];
    if (left.length === 0) break;
    if (Date.now() > deadline) assert.fail(`still there after the TTL: ${left.join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.deepEqual((await c.client.listAll<KubeObject>(kinds.Deployment, 'shop')).items.map((o) => o.metadata.name).sort(), ['api'], 'the baseline stays');
});
