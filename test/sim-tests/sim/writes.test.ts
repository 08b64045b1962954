import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../sim/server';
import { call, recording, until } from './sim-client';

let sim: Simulator;
const base = '/api/v1/namespaces/samples';
const yaml = 'application/apply-patch+yaml';

before(async () => {
  sim = await startSimulator({ controllers: false });
  await call(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'samples' } } });
});
after(() => sim.stop());

test('server-side apply creates (201) with an Apply entry, like the recording; a merge patch by another manager takes the field over', async () => {
  const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  labels:\n    app.kubernetes.io/managed-by: tether\ndata:\n  k: v\n';
  const created = await call(sim, 'PATCH', `${base}/configmaps/applied?fieldManager=tether&force=true`, { body: doc, contentType: yaml });
  assert.equal(created.status, 201);
  const rec = recording('201-server-side-apply.json');
  assert.deepEqual(created.body.metadata.managedFields.map((m: { fieldsV1: unknown }) => m.fieldsV1), rec.metadata.managedFields.map((m: { fieldsV1: unknown }) => m.fieldsV1));
  assert.deepEqual(created.body.data, rec.data);
  const patched = await call(sim, 'PATCH', `${base}/configmaps/applied`, { body: { data: { k: 'v2' } }, contentType: 'application/merge-patch+json' });
  assert.equal(patched.status, 200);
  const mrec = recording('200-merge-patch.json');
  const strip = (fields: { manager: string; operation: string; fieldsV1: unknown }[]) => fields.map(({ manager, operation, fieldsV1 }) => ({ manager, operation, fieldsV1 }));
  assert.deepEqual(strip(patched.body.metadata.managedFields), strip(mrec.metadata.managedFields).map((f) => (f.manager === 'curl' ? { ...f, manager: 'sim-test' } : f)));
});

test('apply conflicts with another manager answer 409 unless force; re-applying without a field removes it', async () => {
  const doc = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n${data}`;
  await call(sim, 'PATCH', `${base}/configmaps/ssa?fieldManager=a`, { body: doc('  x: "1"\n  y: "1"\n'), contentType: yaml });
  const conflict = await call(sim, 'PATCH', `${base}/configmaps/ssa?fieldManager=b`, { body: doc('  x: "2"\n'), contentType: yaml });
  assert.equal(conflict.status, 409);
  assert.equal(conflict.body.message, 'Apply failed with 1 conflict: conflict with "a" using v1: .data.x');
  assert.deepEqual(conflict.body.details.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "a" using v1', field: '.data.x' }]);
  const same = await call(sim, 'PATCH', `${base}/configmaps/ssa?fieldManager=b`, { body: doc('  x: "1"\n'), contentType: yaml });
  assert.equal(same.status, 200, 'applying the same value is shared ownership, not a conflict');
  const forced = await call(sim, 'PATCH', `${base}/configmaps/ssa?fieldManager=b&force=true`, { body: doc('  x: "2"\n'), contentType: yaml });
  assert.equal(forced.status, 200);
  assert.equal(forced.body.data.x, '2');
  const shrunk = await call(sim, 'PATCH', `${base}/configmaps/ssa?fieldManager=a`, { body: doc('  z: "1"\n'), contentType: yaml });
  assert.deepEqual(shrunk.body.data, { x: '2', z: '1' }, 'y (owned only by a) is removed; x stays (now owned by b)');
  const missing = await call(sim, 'PATCH', `${base}/configmaps/ssa`, { body: doc('  x: "3"\n'), contentType: yaml });
  assert.equal(missing.status, 400, 'fieldManager is required for apply');
});

test('an applier that stops applying list items (env keyed by name, mounts by mountPath) removes them whole, not field by field', async () => {
  const path = '/apis/apps/v1/namespaces/samples/deployments/listed';
  const doc = (env: string, mounts: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: listed\nspec:\n  selector: { matchLabels: { app: l } }\n  template:\n    metadata: { labels: { app: l } }\n    spec:\n      containers:\n      - name: c\n        image: i\n        env: [${env}]\n        volumeMounts: [${mounts}]\n      volumes: [{ name: tmp, emptyDir: {} }${mounts.includes('key') ? ', { name: key, secret: { secretName: k } }' : ''}]\n`;
  const first = await call(sim, 'PATCH', `${path}?fieldManager=tether`, { body: doc('{ name: A, value: "1" }, { name: B, value: "2" }', '{ name: tmp, mountPath: /tmp }, { name: key, mountPath: /key, readOnly: true }'), contentType: yaml });
  assert.equal(first.status, 201);
  const second = await call(sim, 'PATCH', `${path}?fieldManager=tether`, { body: doc('{ name: A, value: "1" }', '{ name: tmp, mountPath: /tmp }'), contentType: yaml });
  assert.equal(second.status, 200, JSON.stringify(second.body));
  const spec = second.body.spec.template.spec;
  assert.deepEqual(spec.containers[0].env, [{ name: 'A', value: '1' }]);
  assert.deepEqual(spec.containers[0].volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }]);
  assert.deepEqual(spec.volumes.map((v: { name: string }) => v.name), ['tmp']);
});

test('json patch and strategic merge patch (containers merged by name)', async () => {
  await call(sim, 'POST', `${base}/pods`, { body: { metadata: { name: 'pp' }, spec: { containers: [{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y:1' }] } } });
  const smp = await call(sim, 'PATCH', `${base}/pods/pp`, { body: { spec: { containers: [{ name: 'b', image: 'y:2' }] } }, contentType: 'application/strategic-merge-patch+json' });
  assert.equal(smp.status, 200);
  assert.deepEqual(smp.body.spec.containers.map((c: { name: string; image: string }) => `${c.name}=${c.image}`), ['a=x:1', 'b=y:2']);
  const jp = await call(sim, 'PATCH', `${base}/pods/pp`, { body: [{ op: 'add', path: '/metadata/labels', value: { l: '1' } }, { op: 'replace', path: '/spec/containers/0/image', value: 'x:2' }], contentType: 'application/json-patch+json' });
  assert.equal(jp.status, 200);
  assert.equal(jp.body.metadata.labels.l, '1');
  assert.equal(jp.body.spec.containers[0].image, 'x:2');
  const failed = await call(sim, 'PATCH', `${base}/pods/pp`, { body: [{ op: 'test', path: '/metadata/name', value: 'other' }], contentType: 'application/json-patch+json' });
  assert.equal(failed.status, 422);
  const unsupported = await call(sim, 'PATCH', `${base}/pods/pp`, { body: {}, contentType: 'text/plain' });
  assert.equal(unsupported.status, 415);
});

test('status subresource: the main resource ignores status, /status changes only status; generation follows spec', async () => {
  const dep = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gen' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'g' } }, template: { metadata: { labels: { app: 'g' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  };
  const path = '/apis/apps/v1/namespaces/samples/deployments/gen';
  const created = (await call(sim, 'POST', '/apis/apps/v1/namespaces/samples/deployments', { body: dep })).body;
  assert.equal(created.metadata.generation, 1);
  const ignored = (await call(sim, 'PATCH', path, { body: { status: { replicas: 9 } }, contentType: 'application/merge-patch+json' })).body;
  assert.equal(ignored.status.replicas, undefined);
  const status = (await call(sim, 'PATCH', `${path}/status`, { body: { status: { replicas: 9 }, spec: { replicas: 5 } }, contentType: 'application/merge-patch+json' })).body;
  assert.equal(status.status.replicas, 9);
  assert.equal(status.spec.replicas, 1);
  assert.equal(status.metadata.generation, 1);
  const scaled = (await call(sim, 'PATCH', path, { body: { spec: { replicas: 3 } }, contentType: 'application/merge-patch+json' })).body;
  assert.equal(scaled.metadata.generation, 2);
});

function owned(name: string, owner: { metadata: { name: string; uid: string } }) {
  return { metadata: { name, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name, uid: owner.metadata.uid }] } };
}

test('cascading delete: background removes dependents, orphan keeps them without the owner reference, foreground waits for them', async () => {
  const exists = async (name: string) => (await call(sim, 'GET', `${base}/configmaps/${name}`)).status === 200;
  const bg = (await call(sim, 'POST', `${base}/configmaps`, { body: { metadata: { name: 'bg-owner' } } })).body;
  await call(sim, 'POST', `${base}/configmaps`, { body: owned('bg-child', bg) });
  await call(sim, 'DELETE', `${base}/configmaps/bg-owner`);
  await until(() => !sim.cluster.get('ConfigMap', 'samples', 'bg-child'), 2000, 'background cascade');

  const or = (await call(sim, 'POST', `${base}/configmaps`, { body: { metadata: { name: 'or-owner' } } })).body;
  await call(sim, 'POST', `${base}/configmaps`, { body: owned('or-child', or) });
  const orphaning = await call(sim, 'DELETE', `${base}/configmaps/or-owner?propagationPolicy=Orphan`);
  assert.equal(orphaning.status, 200);
  await until(() => !sim.cluster.get('ConfigMap', 'samples', 'or-owner'), 2000, 'orphaning owner gone');
  assert.ok(await exists('or-child'));
  assert.equal(sim.cluster.get('ConfigMap', 'samples', 'or-child')?.metadata.ownerReferences, undefined);

  const fg = (await call(sim, 'POST', `${base}/configmaps`, { body: { metadata: { name: 'fg-owner' } } })).body;
  await call(sim, 'POST', `${base}/configmaps`, { body: owned('fg-child', fg) });
  const foreground = await call(sim, 'DELETE', `${base}/configmaps/fg-owner`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' } });
  assert.equal(foreground.status, 200);
  assert.deepEqual(foreground.body.metadata.finalizers, ['foregroundDeletion']);
  assert.ok(foreground.body.metadata.deletionTimestamp);
  await until(() => !sim.cluster.get('ConfigMap', 'samples', 'fg-owner') && !sim.cluster.get('ConfigMap', 'samples', 'fg-child'), 2000, 'foreground cascade');
});

test('namespace deletion: Terminating, creates answer 403, contents go, then the namespace', async () => {
  await call(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'doomed' } } });
  await call(sim, 'POST', '/api/v1/namespaces/doomed/configmaps', { body: { metadata: { name: 'c1', finalizers: ['example.com/hold'] } } });
  const deleting = await call(sim, 'DELETE', '/api/v1/namespaces/doomed');
  assert.equal(deleting.status, 200);
  assert.equal(deleting.body.status.phase, 'Terminating');
  const refused = await call(sim, 'POST', '/api/v1/namespaces/doomed/configmaps', { body: { metadata: { name: 'late' } } });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.message, 'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated');
  await new Promise((r) => setTimeout(r, 150));
  assert.ok(sim.cluster.get('Namespace', '', 'doomed'), 'a finalizer on content holds the namespace');
  await call(sim, 'PATCH', '/api/v1/namespaces/doomed/configmaps/c1', { body: { metadata: { finalizers: null } }, contentType: 'application/merge-patch+json' });
  await until(() => !sim.cluster.get('Namespace', '', 'doomed'), 3000, 'namespace removed');
  assert.equal((await call(sim, 'GET', '/api/v1/namespaces/doomed')).status, 404);
});

test('ResourceQuota admission refuses pods past the hard limits with the API server message', async () => {
  await call(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'quota' } } });
  await call(sim, 'POST', '/api/v1/namespaces/quota/resourcequotas', { body: { metadata: { name: 'gpu-quota' }, spec: { hard: { 'requests.nvidia.com/gpu': '4' } } } });
  const gpuPod = (name: string, gpus: number) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'i', resources: { limits: { 'nvidia.com/gpu': String(gpus) } } }] } });
  assert.equal((await call(sim, 'POST', '/api/v1/namespaces/quota/pods', { body: gpuPod('a', 3) })).status, 201);
  const refused = await call(sim, 'POST', '/api/v1/namespaces/quota/pods', { body: gpuPod('b', 2) });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.message, 'pods "b" is forbidden: exceeded quota: gpu-quota, requested: requests.nvidia.com/gpu=2, used: requests.nvidia.com/gpu=3, limited: requests.nvidia.com/gpu=4');
  assert.equal((await call(sim, 'POST', '/api/v1/namespaces/quota/pods', { body: gpuPod('c', 1) })).status, 201);
});

test('deletecollection deletes what the selector matches and answers with the deleted list', async () => {
  for (const [name, tier] of [['dc1', 'x'], ['dc2', 'x'], ['dc3', 'y']]) {
    await call(sim, 'POST', `${base}/configmaps`, { body: { metadata: { name, labels: { tier } } } });
  }
  const r = await call(sim, 'DELETE', `${base}/configmaps?labelSelector=tier%3Dx`);
  assert.equal(r.status, 200);
  assert.equal(r.body.kind, 'ConfigMapList');
  assert.deepEqual(r.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['dc1', 'dc2']);
  assert.equal((await call(sim, 'GET', `${base}/configmaps/dc3`)).status, 200);
  assert.equal((await call(sim, 'GET', `${base}/configmaps/dc1`)).status, 404);
});
