/**
 * Accept negotiation and the kinds the manifest feature looks names up in: the simulator answers
 * metadata projections, refuses what it cannot write with 406, and serves the cluster-scoped
 * classes (StorageClass, PriorityClass, RuntimeClass, IngressClass) and PVCs like any kind.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../sim/server';
import { call, watch } from './sim-client';

let sim: Simulator;
const metaList = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const meta = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

before(async () => {
  sim = await startSimulator({ controllers: false });
  await call(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'apps' } } });
  await call(sim, 'POST', '/api/v1/namespaces/apps/configmaps', { body: { metadata: { name: 'settings' }, data: { mode: 'fast' } } });
});
after(() => sim.stop());

test('kubectl\'s Table-first Accept still gets plain JSON; q=0 and unknown projections drop out; nothing acceptable is 406', async () => {
  const kubectl = await call(sim, 'GET', '/api/v1/namespaces/apps/configmaps', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json' });
  assert.equal(kubectl.body.kind, 'ConfigMapList');
  const disabled = await call(sim, 'GET', '/api/v1/namespaces/apps/configmaps', { accept: `application/json, ${metaList};q=0` });
  assert.equal(disabled.body.kind, 'ConfigMapList');
  const preferred = await call(sim, 'GET', '/api/v1/namespaces/apps/configmaps', { accept: `application/json;q=0.5, ${metaList}` });
  assert.equal(preferred.body.kind, 'PartialObjectMetadataList');
  assert.equal(preferred.body.items[0].metadata.name, 'settings');
  assert.equal(preferred.body.items[0].data, undefined);
  const beta = await call(sim, 'GET', '/api/v1/namespaces/apps/configmaps/settings', { accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1' });
  assert.equal(beta.body.apiVersion, 'meta.k8s.io/v1beta1');
  const refused = await call(sim, 'GET', '/api/v1/namespaces/apps/configmaps/settings', { accept: metaList });
  assert.equal(refused.status, 406);
  assert.equal(refused.body.reason, 'NotAcceptable');
  assert.match(refused.body.message, /you requested PartialObjectMetadataList, but the requested object is not a list/);
  const protobufOnly = await call(sim, 'GET', '/api/v1/namespaces/apps/configmaps', { accept: 'application/vnd.kubernetes.protobuf' });
  assert.equal(protobufOnly.status, 406);
});

test('a watch asking for PartialObjectMetadata sends metadata only; one asking for a List projection gets the objects unchanged', async () => {
  const list = await call(sim, 'GET', '/api/v1/namespaces/apps/configmaps');
  const rv = list.body.metadata.resourceVersion;
  const partial = await watch(sim, `/api/v1/namespaces/apps/configmaps?watch=1&resourceVersion=${rv}`, sim.token, meta);
  const unchanged = await watch(sim, `/api/v1/namespaces/apps/configmaps?watch=1&resourceVersion=${rv}`, sim.token, metaList);
  try {
    await call(sim, 'POST', '/api/v1/namespaces/apps/configmaps', { body: { metadata: { name: 'later' }, data: { k: 'v' } } });
    const a = await partial.next();
    assert.equal(a.type, 'ADDED');
    assert.deepEqual(Object.keys(a.object).sort(), ['apiVersion', 'kind', 'metadata']);
    assert.equal(a.object.kind, 'PartialObjectMetadata');
    const b = await unchanged.next();
    assert.equal(b.object.kind, 'ConfigMap');
    assert.deepEqual(b.object.data, { k: 'v' });
  } finally {
    partial.close();
    unchanged.close();
  }
});

test('StorageClass, PriorityClass, RuntimeClass and IngressClass are cluster-scoped; PVCs are namespaced; required fields are checked', async () => {
  const sc = await call(sim, 'POST', '/apis/storage.k8s.io/v1/storageclasses', { body: { metadata: { name: 'fast' }, provisioner: 'csi.example.com', volumeBindingMode: 'WaitForFirstConsumer' } });
  assert.equal(sc.status, 201, sc.text);
  assert.equal(sc.body.metadata.namespace, undefined);
  assert.equal(sc.body.provisioner, 'csi.example.com');
  const noProvisioner = await call(sim, 'POST', '/apis/storage.k8s.io/v1/storageclasses', { body: { metadata: { name: 'broken' } } });
  assert.equal(noProvisioner.status, 422);
  assert.equal(noProvisioner.body.details.causes[0].field, 'provisioner');
  const pc = await call(sim, 'POST', '/apis/scheduling.k8s.io/v1/priorityclasses', { body: { metadata: { name: 'gpu-high' }, value: 100000, description: 'training jobs' } });
  assert.equal(pc.status, 201, pc.text);
  const rc = await call(sim, 'POST', '/apis/node.k8s.io/v1/runtimeclasses', { body: { metadata: { name: 'nvidia' }, handler: 'nvidia' } });
  assert.equal(rc.status, 201, rc.text);
  const ic = await call(sim, 'POST', '/apis/networking.k8s.io/v1/ingressclasses', { body: { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } } });
  assert.equal(ic.status, 201, ic.text);
  const pvc = await call(sim, 'POST', '/api/v1/namespaces/apps/persistentvolumeclaims', { body: { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } } } });
  assert.equal(pvc.status, 201, pvc.text);
  const discovery = await call(sim, 'GET', '/apis/node.k8s.io/v1');
  assert.deepEqual(discovery.body.resources.map((r: { name: string; namespaced: boolean }) => [r.name, r.namespaced]), [['runtimeclasses', false]]);
  const names = await call(sim, 'GET', '/apis/scheduling.k8s.io/v1/priorityclasses', { accept: metaList });
  assert.deepEqual(names.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['gpu-high']);
});
