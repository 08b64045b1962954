import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { checkAccess, minimalRole } from '../../../src/kube/access';
import { KubeClient } from '../../../src/kube/api';
import { loadKubeconfig } from '../../../src/kube/config';
import { sendJson, startLocalCluster } from './local-cluster';
import { kubeApiJson } from '../../fixtures/kubeApi';

const denied = kubeApiJson('201-selfsubjectaccessreview-denied.json') as Record<string, unknown>;

test('checkAccess posts one review per check and reads allowed/reason', async (t) => {
  const bodies: { spec: { resourceAttributes: Record<string, string> } }[] = [];
  const cluster = await startLocalCluster((req, res, url) => {
    assert.equal(url.pathname, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews');
    assert.equal(req.method, 'POST');
    let text = '';
    req.on('data', (c: Buffer) => (text += c));
    req.on('end', () => {
      const body = JSON.parse(text) as { spec: { resourceAttributes: Record<string, string> } };
      bodies.push(body);
      const attrs = body.spec.resourceAttributes;
      if (attrs.subresource === 'portforward') return sendJson(res, 201, { ...denied, spec: body.spec });
      sendJson(res, 201, { ...body, status: { allowed: true, reason: 'RBAC: allowed by RoleBinding "dev/shop"' } });
    });
  });
  const client = KubeClient.forContext(loadKubeconfig({ KUBECONFIG: cluster.kubeconfigPath }), 'local');
  t.after(async () => {
    client.dispose();
    await cluster.close();
  });
  const results = await checkAccess(client, [
    { verb: 'list', resource: 'pods', namespace: 'samples' },
    { verb: 'create', resource: 'pods', subresource: 'portforward', namespace: 'samples' },
    { verb: 'get', group: 'coordination.k8s.io', resource: 'leases', namespace: 'samples', name: 'l' },
  ]);
  assert.deepEqual(results.map((r) => r.allowed), [true, false, true]);
  assert.match(results[0].reason ?? '', /RoleBinding/);
  assert.equal(results[1].check.subresource, 'portforward');
  assert.equal(bodies.length, 3);
  const lease = bodies.find((b) => b.spec.resourceAttributes.resource === 'leases');
  assert.deepEqual(lease?.spec.resourceAttributes, { verb: 'get', resource: 'leases', group: 'coordination.k8s.io', namespace: 'samples', name: 'l' });
  assert.deepEqual(await checkAccess(client, []), []);
});

test('minimalRole merges verbs per resource and resources per apiGroup', () => {
  const yaml = minimalRole(
    [
      { verb: 'get', resource: 'pods', subresource: 'portforward' },
      { verb: 'create', resource: 'pods', subresource: 'portforward' },
      { verb: 'list', resource: 'pods' },
      { verb: 'watch', resource: 'pods' },
      { verb: 'watch', resource: 'services' },
      { verb: 'list', resource: 'services' },
      { verb: 'create', group: 'apps', resource: 'deployments' },
      { verb: 'update', group: 'coordination.k8s.io', resource: 'leases', name: 'me' },
    ],
    'shop',
    'tether-dev',
  );
  const role = parse(yaml) as { kind: string; metadata: { name: string; namespace: string }; rules: unknown[] };
  assert.equal(role.kind, 'Role');
  assert.deepEqual(role.metadata, { name: 'tether-dev', namespace: 'shop' });
  assert.deepEqual(role.rules, [
    { apiGroups: [''], resources: ['pods', 'services'], verbs: ['list', 'watch'] },
    { apiGroups: [''], resources: ['pods/portforward'], verbs: ['get', 'create'] },
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['update'], resourceNames: ['me'] },
  ]);
});
