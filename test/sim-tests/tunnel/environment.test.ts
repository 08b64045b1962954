import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeClient } from '../../../src/kube/api';
import { loadKubeconfig } from '../../../src/kube/config';
import { ExplainedError } from '../../../src/kube/errors';
import { fetchWorkloadEnvironment } from '../../../src/tunnel/environmentFetch';
import { startSimulator } from '../../sim/server';

test('a Deployment\'s environment read through the API: ConfigMap and Secret references resolved', async (t) => {
  const sim = await startSimulator({ controllers: false });
  const client = KubeClient.forContext(loadKubeconfig({ KUBECONFIG: sim.kubeconfigPath }), sim.context);
  t.after(async () => {
    client.dispose();
    await sim.stop();
  });
  const create = (path: string, body: unknown) => client.request({ what: 'create', method: 'POST', path, body });
  await create('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { REGION: 'eu', PORT: '8080' } });
  await create('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { password: Buffer.from('s3cret').toString('base64') } });
  await create('/apis/apps/v1/namespaces/default/deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'orders' },
    spec: {
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
  const env = await fetchWorkloadEnvironment(client, { kind: 'Deployment', namespace: 'default', name: 'orders', container: 'app' });
  assert.equal(env.container, 'app');
  assert.deepEqual(env.variables, { REGION: 'eu', PORT: '8080', DB_PASSWORD: 's3cret', ADDR: ':8080' });
  assert.deepEqual(env.secretVariables, ['DB_PASSWORD']);
  assert.deepEqual(env.problems, ['MISSING: cannot read ConfigMap "nowhere"']);

  const none = await fetchWorkloadEnvironment(client, { kind: 'Deployment', namespace: 'default', name: 'orders', container: 'nope' }).catch((e: unknown) => e);
  assert.ok(none instanceof ExplainedError);
  assert.match(none.why, /no container named "nope"/);
});
