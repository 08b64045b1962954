/**
 * The manifest feature's cluster cache against a cluster: names appear once their watch has
 * listed (the first question only starts it), Secrets are watched as names alone through the
 * shared hub, workloads' live state follows the cluster, and watches nobody asks about stop.
 * Runs on the simulator and on real clusters alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WatchHub } from '../../../src/kube/hub';
import type { Clock } from '../../../src/kube/clock';
import type { KubeObject } from '../../../src/kube/types';
import { toDisposable } from '../../../src/lifecycle';
import { ClusterLookups } from '../../../src/ui/manifests/clusterLookups';
import { clusterFor, type ClusterUnderTest } from '../../cluster/clusterUnderTest';

/** Time that moves only when told (the sweep's timer is never left to fire by itself). */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = 1_000_000;
  return {
    now: () => now,
    setTimeout: () => 0,
    clearTimeout: () => undefined,
    advance(ms) {
      now += ms;
    },
  };
}

function lookupsFor(cluster: ClusterUnderTest, options: { clock?: Clock; idleMs?: number } = {}) {
  const hub = new WatchHub(() => cluster.client(), undefined, { lingerMs: 0, informer: { minWatchMs: 0 } });
  const warnings: string[] = [];
  const logger = { trace() {}, debug() {}, info() {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
  const lookups = new ClusterLookups(
    {
      selectedContext: cluster.context,
      onDidChange: () => toDisposable(() => undefined),
      kube: async () => ({ hub, config: { contexts: [{ name: cluster.context, namespace: cluster.namespace }] } }),
    },
    { logger, ...options },
  );
  return { hub, lookups, warnings, dispose: () => (lookups.dispose(), hub.dispose()) };
}

test('names: the first question starts the watch, the answer follows; Secrets through a names-only watch', async (t) => {
  const cluster = await clusterFor(t, 'lookups-names');
  const ns = cluster.namespace;
  await cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: ns }, data: { mode: 'fast' } });
  await cluster.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-token', namespace: ns }, stringData: { token: 'not-for-caches' } });
  const { hub, lookups, dispose } = lookupsFor(cluster);
  t.after(dispose);
  const lookup = lookups.current();
  assert.ok(lookup);
  assert.equal(lookup.names('ConfigMap', ns), undefined, 'nothing is cached before the first question');
  const configMaps = await cluster.until(() => lookups.current()!.names('ConfigMap', ns), 'ConfigMap names');
  assert.ok(configMaps.includes('web-config'), configMaps.join(', '));
  assert.equal(lookups.current()!.defaultNamespace, ns, 'the context\'s namespace, once the kubeconfig is read');
  const secrets = await cluster.until(() => lookups.current()!.names('Secret', ns), 'Secret names');
  assert.ok(secrets.includes('web-token'));
  // The same watch, observed here: what the hub keeps of Secrets is their names.
  const seen: KubeObject[] = [];
  const sub = hub.observe<KubeObject>({ context: cluster.context, kind: 'Secret', namespace: ns, metadataOnly: true }, (e) => {
    if (e.type === 'synced') seen.push(...e.objects.values());
  });
  t.after(() => sub.dispose());
  await cluster.until(() => seen.length > 0 || undefined, 'the shared Secret watch');
  assert.ok(!JSON.stringify(seen).includes('not-for-caches'));
  assert.deepEqual(Object.keys(seen.find((s) => s.metadata.name === 'web-token')!), ['metadata']);

  await cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'added-later', namespace: ns } });
  await cluster.until(() => lookups.current()!.names('ConfigMap', ns)?.includes('added-later') || undefined, 'a ConfigMap created after the list');
  const nodes = await cluster.until(() => lookups.current()!.nodes(), 'node facts');
  assert.ok(Array.isArray(nodes));
  const classes = await cluster.until(() => lookups.current()!.names('StorageClass', undefined), 'StorageClass names');
  assert.ok(Array.isArray(classes));
});

test('live state of a workload follows the cluster; one that is not there says so', async (t) => {
  const cluster = await clusterFor(t, 'lookups-live');
  const ns = cluster.namespace;
  const { lookups, dispose } = lookupsFor(cluster);
  t.after(dispose);
  const absent = await cluster.until(() => {
    const s = lookups.current()!.workload('Deployment', ns, 'web');
    return s.phase === 'loading' ? undefined : s;
  }, 'the namespace\'s workloads listed');
  assert.deepEqual(absent, { phase: 'absent' });
  await cluster.apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{
            name: 'web',
            image: cluster.images.relay,
            command: ['node', '-e', 'setInterval(() => {}, 60_000)'],
            securityContext: { runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
          }],
        },
      },
    },
  });
  await cluster.waitForPodReady('app=web');
  const ready = await cluster.until(() => {
    const s = lookups.current()!.workload('Deployment', ns, 'web');
    return s.phase === 'present' && s.text === '1/1 ready · 0 restarts' ? s : undefined;
  }, 'the Deployment ready in its lens', cluster.timeouts.podReadyMs);
  assert.equal(ready.healthy, true);
});

test('watches nobody asks about stop after the idle time; asking again starts them over', async (t) => {
  const cluster = await clusterFor(t, 'lookups-idle');
  const clock = manualClock();
  const { hub, lookups, dispose } = lookupsFor(cluster, { clock, idleMs: 60_000 });
  t.after(dispose);
  await cluster.until(() => lookups.current()!.names('ConfigMap', cluster.namespace), 'ConfigMap names');
  lookups.current()!.names('ServiceAccount', cluster.namespace);
  assert.equal(lookups.watchCount, 2);
  assert.equal(hub.size, 2);
  clock.advance(30_000);
  lookups.current()!.names('ConfigMap', cluster.namespace);
  clock.advance(30_000);
  lookups.sweep();
  assert.equal(lookups.watchCount, 1, 'the ServiceAccount watch, idle for a minute, stopped');
  assert.equal(hub.size, 1);
  assert.equal(lookups.current()!.names('ServiceAccount', cluster.namespace), undefined, 'asked again: watched again, answered once listed');
  assert.equal(lookups.watchCount, 2);
});
