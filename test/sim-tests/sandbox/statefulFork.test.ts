import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { createSandbox } from '../../../src/sandbox/lifecycle/create';
import { forkLabel } from '../../../src/sandbox/labels';
import { deleteSandbox } from '../../../src/sandbox/lifecycle/lifecycle';
import type { SandboxSpec } from '../../../src/sandbox/spec';
import { shopCluster } from './shopCluster';

/** A restricted-compliant container that stays up on any cluster: the test image's node, idling. */
function idle(image: string) {
  return {
    name: 'ledger',
    image,
    command: ['node', '-e', 'setInterval(() => {}, 60_000)'],
    ports: [{ containerPort: 7000, name: 'ledger' }],
    securityContext: { runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
  };
}

type StatefulSet = KubeObject & { spec: { replicas: number; serviceName: string } };

test('a StatefulSet fork runs in the sandbox: one replica under its headless Service, its pod Running, the baseline untouched', async (t) => {
  const { cluster, client, shop } = await shopCluster(t, 'sandbox-stateful');
  await cluster.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ledger', namespace: shop }, spec: { clusterIP: 'None', selector: { app: 'ledger' }, ports: [{ name: 'ledger', port: 7000 }] } });
  await cluster.apply({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'ledger', namespace: shop },
    spec: { replicas: 2, serviceName: 'ledger', selector: { matchLabels: { app: 'ledger' } }, template: { metadata: { labels: { app: 'ledger' } }, spec: { containers: [idle(cluster.images.relay)] } } },
  });
  const developer = cluster.developer('jane');
  const sandbox = `${developer}-main`;
  t.after(() => deleteSandbox(client, { sandbox, namespace: sandbox }).catch(() => undefined));
  const spec: SandboxSpec = { name: 'shop', baseline: { namespace: shop }, ttlSeconds: 3600, forks: [{ workload: { kind: 'StatefulSet', name: 'ledger' }, mode: 'env', env: { LEDGER_MODE: 'sandbox' }, ports: [] }], checks: [] };

  const created = await createSandbox(client, { spec, developer, branch: 'main', holderIdentity: 'jane@laptop' });
  assert.equal(created.plan.namespace, sandbox);
  const fork = await client.get<StatefulSet>(kinds.StatefulSet, sandbox, 'ledger');
  assert.equal(fork.spec.replicas, 1);
  assert.equal(fork.spec.serviceName, 'ledger');
  assert.equal(fork.metadata.ownerReferences?.[0].kind, 'Lease');
  const governing = await client.get<KubeObject & { spec: { clusterIP: string } }>(kinds.Service, sandbox, 'ledger');
  assert.equal(governing.spec.clusterIP, 'None', 'the pods keep their DNS names');

  const pod = await cluster.until(async () => {
    const { items } = await client.list<KubeObject & { status?: { phase?: string } }>(kinds.Pod, sandbox, { labelSelector: `${forkLabel}=ledger` });
    return items.find((p) => p.status?.phase === 'Running');
  }, 'the forked StatefulSet\'s pod to run', cluster.timeouts.podReadyMs);
  assert.equal(pod.metadata.name, 'ledger-0', 'a StatefulSet\'s stable pod name');

  const baseline = await client.get<StatefulSet>(kinds.StatefulSet, shop, 'ledger');
  assert.equal(baseline.spec.replicas, 2);
  assert.ok(!(baseline.metadata.labels ?? {})[forkLabel]);
});
