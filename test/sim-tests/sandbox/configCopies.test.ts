import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { copiedFromAnnotation } from '../../../src/sandbox/forks/configCopies';
import { createSandbox } from '../../../src/sandbox/lifecycle/create';
import { belongsTo, forkLabel } from '../../../src/sandbox/labels';
import { deleteSandbox } from '../../../src/sandbox/lifecycle/lifecycle';
import type { SandboxSpec } from '../../../src/sandbox/spec';
import { shopCluster } from './shopCluster';

/** Exits at once unless the pod got its ConfigMap and Secret through env, envFrom and a Secret volume; then idles. */
const script = `
const fs = require('fs');
const ok = process.env.DB_URL === 'postgres://ledger' && process.env.MODE === 'sandbox-ready' && fs.readFileSync('/etc/ledger-tls/key', 'utf8') === 'k3y';
if (!ok) { console.error('configuration missing'); process.exit(1); }
setInterval(() => {}, 60000);
`;

const restricted = { runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };

test('own namespace: the ConfigMaps and Secrets a fork reads are copied in, its pod starts with them, the baseline\'s stay as they were', async (t) => {
  const { cluster, client, shop } = await shopCluster(t, 'sandbox-config');
  const secret = await cluster.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ledger-db', namespace: shop }, type: 'Opaque', stringData: { url: 'postgres://ledger' } });
  await cluster.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ledger-tls', namespace: shop }, type: 'Opaque', stringData: { key: 'k3y' } });
  await cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ledger-settings', namespace: shop }, data: { MODE: 'sandbox-ready' } });
  await cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ledger-app', namespace: shop }, data: { 'app.js': script } });
  await cluster.apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'ledger', namespace: shop },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'ledger' } },
      template: {
        metadata: { labels: { app: 'ledger' } },
        spec: {
          containers: [
            {
              name: 'ledger',
              image: cluster.images.relay,
              command: ['node', '/opt/app/app.js'],
              env: [
                { name: 'DB_URL', valueFrom: { secretKeyRef: { name: 'ledger-db', key: 'url' } } },
                { name: 'OPTIONAL', valueFrom: { configMapKeyRef: { name: 'ledger-absent', key: 'x', optional: true } } },
              ],
              envFrom: [{ configMapRef: { name: 'ledger-settings' } }],
              volumeMounts: [
                { name: 'app', mountPath: '/opt/app', readOnly: true },
                { name: 'tls', mountPath: '/etc/ledger-tls', readOnly: true },
              ],
              securityContext: restricted,
            },
          ],
          volumes: [
            { name: 'app', configMap: { name: 'ledger-app' } },
            { name: 'tls', secret: { secretName: 'ledger-tls' } },
          ],
        },
      },
    },
  });
  const developer = cluster.developer('jane');
  const sandbox = `${developer}-main`;
  t.after(() => deleteSandbox(client, { sandbox, namespace: sandbox }).catch(() => undefined));
  const spec: SandboxSpec = { name: 'shop', baseline: { namespace: shop }, ttlSeconds: 3600, forks: [{ workload: { kind: 'Deployment', name: 'ledger' }, mode: 'env', env: { LEDGER_FORK: '1' }, ports: [] }], checks: [] };

  const created = await createSandbox(client, { spec, developer, branch: 'main', holderIdentity: 'jane@laptop' });
  const copies = created.plan.objects.filter((o) => o.metadata.annotations?.[copiedFromAnnotation]).map((o) => `${o.kind}/${o.metadata.name}`).sort();
  assert.deepEqual(copies, ['ConfigMap/ledger-app', 'ConfigMap/ledger-settings', 'Secret/ledger-db', 'Secret/ledger-tls'], 'the missing optional ConfigMap is skipped');
  const copy = await client.get<KubeObject & { data?: Record<string, string> }>(kinds.Secret, sandbox, 'ledger-db');
  assert.ok(belongsTo(copy, sandbox), 'labelled as the sandbox\'s, so its cleanup removes it');
  // The baseline's Secret was written with stringData, which the API server keeps only in data.
  assert.ok(copy.data?.url, `the copy carries the baseline's data.url; it has ${Object.keys(copy.data ?? {}).join(', ') || 'no data'}`);
  assert.equal(Buffer.from(copy.data.url, 'base64').toString(), 'postgres://ledger');

  const pod = await cluster.until(async () => {
    const { items } = await client.list<KubeObject & { status?: { phase?: string; containerStatuses?: { ready?: boolean }[] } }>(kinds.Pod, sandbox, { labelSelector: `${forkLabel}=ledger` });
    return items.find((p) => p.status?.phase === 'Running' && p.status.containerStatuses?.every((c) => c.ready));
  }, 'the fork\'s pod to run with the copied configuration', cluster.timeouts.podReadyMs);
  assert.ok(pod);

  const baselineSecret = await client.get<KubeObject>(kinds.Secret, shop, 'ledger-db');
  assert.equal(baselineSecret.metadata.resourceVersion, secret.metadata.resourceVersion, 'the baseline\'s Secret is only read');
  assert.ok(!belongsTo(baselineSecret, sandbox));

  await deleteSandbox(client, { sandbox, namespace: sandbox });
  const gone = await client.get<KubeObject>(kinds.Secret, sandbox, 'ledger-db').then((s) => Boolean(s.metadata.deletionTimestamp), () => true);
  assert.ok(gone, 'the copy goes with the sandbox');
});
