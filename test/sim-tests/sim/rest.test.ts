import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../sim/server';
import { call, grant, recording, recordingText } from './sim-client';

let sim: Simulator;
const cm = (name: string, data: Record<string, string> = { a: '1' }) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const base = '/api/v1/namespaces/samples';

before(async () => {
  sim = await startSimulator({
    controllers: false,
    users: [{ name: 'jane' }],
  });
  await call(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'samples' } } });
  // jane may read ConfigMaps and get (not create) pods/portforward in samples; nothing else.
  await grant(sim, 'samples', 'jane', { kind: 'User', name: 'jane' }, [
    { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] },
    { apiGroups: [''], resources: ['pods/portforward'], verbs: ['get'] },
  ]);
});
after(() => sim.stop());

test('requests without a token or with a wrong one answer 401 Status', async () => {
  for (const token of [null, 'wrong']) {
    const r = await call(sim, 'GET', '/api/v1/namespaces', { token });
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  }
});

test('create answers 201 with uid, creationTimestamp, resourceVersion and managedFields; a second create 409 AlreadyExists', async () => {
  const r = await call(sim, 'POST', `${base}/configmaps`, { body: cm('cm1') });
  assert.equal(r.status, 201);
  const rec = recording('201-create-configmap.json');
  assert.deepEqual(Object.keys(r.body), Object.keys(rec));
  assert.deepEqual(Object.keys(r.body.metadata), Object.keys(rec.metadata));
  assert.match(r.body.metadata.uid, /^[0-9a-f-]{36}$/);
  assert.match(r.body.metadata.resourceVersion, /^\d+$/);
  assert.deepEqual(r.body.metadata.managedFields[0].fieldsV1, rec.metadata.managedFields[0].fieldsV1);
  const again = await call(sim, 'POST', `${base}/configmaps`, { body: cm('cm1') });
  assert.equal(again.status, 409);
  assert.deepEqual(again.body, recording('409-already-exists.json'));
});

test('get of a missing object answers 404 exactly like the recording', async () => {
  const r = await call(sim, 'GET', `${base}/pods/nope`);
  assert.equal(r.status, 404);
  assert.deepEqual(r.body, recording('404-get-missing-pod.json'));
});

test('update with a stale resourceVersion answers 409 Conflict like the recording; a fresh one succeeds', async () => {
  await call(sim, 'POST', `${base}/configmaps`, { body: cm('conflict') });
  const current = (await call(sim, 'GET', `${base}/configmaps/conflict`)).body;
  const ok = await call(sim, 'PUT', `${base}/configmaps/conflict`, { body: { ...current, data: { a: '2' } } });
  assert.equal(ok.status, 200);
  assert.ok(Number(ok.body.metadata.resourceVersion) > Number(current.metadata.resourceVersion));
  const stale = await call(sim, 'PUT', `${base}/configmaps/conflict`, { body: { ...current, data: { a: '3' } } });
  assert.equal(stale.status, 409);
  const expected = recording('409-conflict-stale-rv.json');
  expected.message = expected.message.replace('"cm1"', '"conflict"');
  expected.details.name = 'conflict';
  assert.deepEqual(stale.body, expected);
});

test('an invalid deployment answers 422 with causes like the recording', async () => {
  const r = await call(sim, 'POST', `/apis/apps/v1/namespaces/samples/deployments`, {
    body: {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bad' },
      spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    },
  });
  assert.equal(r.status, 422);
  assert.deepEqual(r.body, recording('422-invalid-deployment.json'));
});

test('an invalid pod answers 422 with one cause per field and the message joining them, like the recording', async () => {
  const r = await call(sim, 'POST', `${base}/pods`, {
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad' }, spec: { activeDeadlineSeconds: 0, hostname: 'Bad_Name', containers: [{ name: 'c', image: 'nginx' }] } },
  });
  assert.equal(r.status, 422);
  assert.deepEqual(r.body, recording('422-pod-semantic-causes.json'));
});

test('the simulator refuses what the API server refuses, in its words: schedules, ports, selectors', async () => {
  const cron = await call(sim, 'POST', `/apis/batch/v1/namespaces/samples/cronjobs`, {
    body: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' }, spec: { schedule: '0 0 * * 7', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } } } },
  });
  assert.equal(cron.status, 422);
  assert.equal(cron.body.message, 'CronJob.batch "nightly" is invalid: spec.schedule: Invalid value: "0 0 * * 7": end of range (7) above maximum (6): 7');
  const svc = await call(sim, 'POST', `${base}/services`, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }, { port: 443 }] } } });
  assert.equal(svc.status, 422);
  assert.deepEqual(svc.body.details.causes, [
    { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[0].name' },
    { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[1].name' },
  ]);
  const job = await call(sim, 'POST', `/apis/batch/v1/namespaces/samples/jobs`, { body: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } });
  assert.equal(job.status, 422);
  assert.equal(job.body.details.causes[0].message, 'Required value: valid values: "OnFailure", "Never"');
});

test('names must be DNS-1123 and pods need containers', async () => {
  const bad = await call(sim, 'POST', `${base}/configmaps`, { body: cm('Not_Valid') });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.details.causes[0].field, 'metadata.name');
  const pod = await call(sim, 'POST', `${base}/pods`, { body: { metadata: { name: 'p' }, spec: { containers: [] } } });
  assert.equal(pod.status, 422);
  assert.deepEqual(pod.body.details.causes, [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }]);
});

test('a denied request answers 403 exactly like the recording; SelfSubjectAccessReview agrees', async () => {
  const r = await call(sim, 'GET', `${base}/pods`, { token: sim.tokenOf('jane') });
  assert.equal(r.status, 403);
  assert.deepEqual(r.body, recording('403-forbidden-list-pods.json'));
  const allowed = await call(sim, 'GET', `${base}/configmaps`, { token: sim.tokenOf('jane') });
  assert.equal(allowed.status, 200);
  const review = (verb: string, subresource?: string) => call(sim, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    token: sim.tokenOf('jane'),
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: 'samples', verb, resource: 'pods', subresource } } },
  });
  const denied = await review('create', 'portforward');
  assert.equal(denied.status, 201);
  assert.deepEqual(denied.body.status, recording('201-selfsubjectaccessreview-denied.json').status);
  assert.equal((await review('get', 'portforward')).body.status.allowed, true);
});

test('create in a missing namespace answers 404 for the namespace; generateName gets a suffix', async () => {
  const missing = await call(sim, 'POST', '/api/v1/namespaces/ghost/configmaps', { body: cm('x') });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.message, 'namespaces "ghost" not found');
  const generated = await call(sim, 'POST', `${base}/configmaps`, { body: { metadata: { generateName: 'gen-' }, data: {} } });
  assert.equal(generated.status, 201);
  assert.match(generated.body.metadata.name, /^gen-[a-z0-9]{5}$/);
});

test('fieldValidation=Strict answers 400 like the recording; Warn answers with a Warning header', async () => {
  const strict = await call(sim, 'POST', `${base}/configmaps?fieldValidation=Strict`, { body: { metadata: { name: 'strict' }, dta: { a: '1' } } });
  assert.equal(strict.status, 400);
  assert.deepEqual(strict.body, recording('400-strict-unknown-field.json'));
  const warn = await call(sim, 'POST', `${base}/configmaps?fieldValidation=Warn`, { body: { metadata: { name: 'warn' }, dta: { a: '1' } } });
  assert.equal(warn.status, 201);
  assert.equal(`warning: ${warn.headers.warning}`, recordingText('warn-unknown-field-headers.txt').trim());
});

test('dryRun=All validates and answers without storing', async () => {
  const r = await call(sim, 'POST', `${base}/configmaps?dryRun=All`, { body: cm('dry') });
  assert.equal(r.status, 201);
  assert.equal((await call(sim, 'GET', `${base}/configmaps/dry`)).status, 404);
});

test('delete answers a Success Status with the uid, like the recording', async () => {
  const created = (await call(sim, 'POST', `${base}/configmaps`, { body: cm('page5') })).body;
  const r = await call(sim, 'DELETE', `${base}/configmaps/page5`);
  assert.equal(r.status, 200);
  const expected = recording('200-delete-configmap.json');
  expected.details.uid = created.metadata.uid;
  assert.deepEqual(r.body, expected);
});

test('discovery serves /version, /api, /apis, group versions and the recorded OpenAPI documents', async () => {
  assert.deepEqual((await call(sim, 'GET', '/version')).body, recording('200-version.json'));
  assert.deepEqual((await call(sim, 'GET', '/api')).body.versions, ['v1']);
  const apps = (await call(sim, 'GET', '/apis/apps/v1')).body;
  assert.ok(apps.resources.some((r: { name: string }) => r.name === 'deployments'));
  const index = (await call(sim, 'GET', '/openapi/v3')).body;
  assert.ok(index.paths['api/v1'].serverRelativeURL.startsWith('/openapi/v3/api/v1?hash='));
  const core = (await call(sim, 'GET', '/openapi/v3/api/v1')).body;
  assert.ok(core.components.schemas['io.k8s.api.core.v1.Pod']);
});
