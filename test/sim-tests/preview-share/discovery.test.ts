// The simulator lists Ingress and the Gateway API's HTTPRoute in discovery as a real API server
// with the Gateway API installed does, and stores HTTPRoutes with their status subresource.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeClient } from '../../../src/kube/api';
import { loadKubeconfig } from '../../../src/kube/config';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { startSimulator } from '../../sim/server';

interface ResourceList { groupVersion: string; resources: { name: string; kind: string; namespaced: boolean; verbs: string[] }[] }

test('discovery lists networking.k8s.io/v1 ingresses and gateway.networking.k8s.io/v1 httproutes; an HTTPRoute is stored', async (t) => {
  const sim = await startSimulator({ controllers: false });
  const client = KubeClient.forContext(loadKubeconfig({ KUBECONFIG: sim.kubeconfigPath }), sim.context);
  t.after(async () => {
    client.dispose();
    await sim.stop();
  });
  const groups = await client.request<{ groups: { name: string; preferredVersion: { groupVersion: string } }[] }>({ what: 'List API groups', path: '/apis' });
  assert.ok(groups.groups.some((g) => g.name === 'gateway.networking.k8s.io' && g.preferredVersion.groupVersion === 'gateway.networking.k8s.io/v1'));
  assert.ok(groups.groups.some((g) => g.name === 'networking.k8s.io'));
  const gateway = await client.request<ResourceList>({ what: 'Discover the Gateway API', path: '/apis/gateway.networking.k8s.io/v1' });
  assert.deepEqual(gateway.resources.map((r) => r.name).sort(), ['httproutes', 'httproutes/status']);
  assert.ok(gateway.resources[0].namespaced && gateway.resources.find((r) => r.name === 'httproutes')?.verbs.includes('patch'));
  const networking = await client.request<ResourceList>({ what: 'Discover networking', path: '/apis/networking.k8s.io/v1' });
  assert.ok(networking.resources.some((r) => r.name === 'ingresses' && r.kind === 'Ingress'));

  sim.seed([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }]);
  const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'shop' }, spec: { hostnames: ['a.preview.test'], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] } };
  await client.request({ what: 'Create an HTTPRoute', method: 'POST', path: '/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes', body: route });
  const stored = await client.get<KubeObject>(kinds.HTTPRoute, 'shop', 'r');
  assert.deepEqual((stored.spec as { hostnames: string[] }).hostnames, ['a.preview.test']);
});
