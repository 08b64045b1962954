/**
 * A workload's environment read through the API of the cluster under test: ConfigMap and Secret
 * references resolved, $(VAR) expanded, a missing reference named, a wrong container explained.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExplainedError } from '../../../src/kube/errors';
import { fetchWorkloadEnvironment } from '../../../src/tunnel/environmentFetch';
import { clusterFor } from '../../cluster/clusterUnderTest';

test('a Deployment\'s environment read through the API: ConfigMap and Secret references resolved', async (t) => {
  const cluster = await clusterFor(t, 'tunnel-environment');
  const ns = cluster.namespace;
  const client = cluster.client();
  await cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns }, data: { REGION: 'eu', PORT: '8080' } });
  await cluster.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: ns }, data: { password: Buffer.from('s3cret').toString('base64') } });
  // No replicas: only the pod template is read, so the images are never pulled.
  await cluster.apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'orders', namespace: ns },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'orders' } },
      template: {
        metadata: { labels: { app: 'orders' } },
        spec: {
          containers: [
            { name: 'sidecar', image: 'busybox' },
            {
              name: 'app',
              image: 'orders:1',
              envFrom: [{ configMapRef: { name: 'settings' } }],
              env: [
                { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
                { name: 'ADDR', value: ':$(PORT)' },
                { name: 'MISSING', valueFrom: { configMapKeyRef: { name: 'nowhere', key: 'x' } } },
              ],
            },
          ],
        },
      },
    },
  });
  const env = await fetchWorkloadEnvironment(client, { kind: 'Deployment', namespace: ns, name: 'orders', container: 'app' });
  assert.equal(env.container, 'app');
  assert.deepEqual(env.variables, { REGION: 'eu', PORT: '8080', DB_PASSWORD: 's3cret', ADDR: ':8080' });
  assert.deepEqual(env.secretVariables, ['DB_PASSWORD']);
  assert.deepEqual(env.problems, ['MISSING: cannot read ConfigMap "nowhere"']);

  const none = await fetchWorkloadEnvironment(client, { kind: 'Deployment', namespace: ns, name: 'orders', container: 'nope' }).catch((e: unknown) => e);
  assert.ok(none instanceof ExplainedError);
  assert.match(none.why, /no container named "nope"/);
});
