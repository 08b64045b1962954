import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types';
import { configCopies, copiedFromAnnotation } from '../../../src/sandbox/forks/configCopies';
import { copiedReferences } from '../../../src/sandbox/forks/configRead';
import { podReferences } from '../../../src/sandbox/forks/configRefs';
import { isTetherOwned } from '../../../src/sandbox/labels';
import { planSandbox } from '../../../src/sandbox/plan';
import { planChecks } from '../../../src/sandbox/placement';
import type { SandboxSpec } from '../../../src/sandbox/spec';

const renewTime = new Date('2026-11-22T03:00:00.000Z');

function workload(kind: 'Deployment' | 'StatefulSet', name: string, pod: Record<string, unknown>): KubeObject {
  return { apiVersion: 'apps/v1', kind, metadata: { name, namespace: 'shop', uid: `u-${name}`, resourceVersion: '1' }, spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: pod } } } as KubeObject;
}

const api = workload('Deployment', 'api', {
  imagePullSecrets: [{ name: 'registry' }],
  initContainers: [{ name: 'migrate', image: 'm', envFrom: [{ secretRef: { name: 'db' } }] }],
  containers: [
    {
      name: 'api',
      image: 'a',
      env: [
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } },
        { name: 'FLAG', valueFrom: { configMapKeyRef: { name: 'flags', key: 'x', optional: true } } },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 't' } } },
      ],
      envFrom: [{ configMapRef: { name: 'extra', optional: true } }],
    },
  ],
  volumes: [
    { name: 'certs', secret: { secretName: 'tls' } },
    { name: 'all', projected: { sources: [{ configMap: { name: 'bundle' } }, { secret: { name: 'signing', optional: true } }] } },
    { name: 'scratch', emptyDir: {} },
  ],
});

const db = workload('StatefulSet', 'db', { containers: [{ name: 'pg', image: 'postgres', envFrom: [{ secretRef: { name: 'db' } }, { configMapRef: { name: 'flags' } }] }] });

const secretValue = 'c3VwZXItc2VjcmV0';
const config = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop', uid: 'c1', resourceVersion: '5', managedFields: [{}] }, data: { mode: 'fast' }, binaryData: { logo: 'AAEC' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bundle', namespace: 'shop' }, data: { a: '1' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'flags', namespace: 'shop' }, data: { x: 'on' } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque', data: { url: secretValue } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api-token', namespace: 'shop' }, type: 'kubernetes.io/service-account-token', data: { t: secretValue } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', namespace: 'shop' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'Y3J0', 'tls.key': secretValue } },
] as unknown as KubeObject[];

const spec: SandboxSpec = {
  name: 'shop',
  baseline: { namespace: 'shop' },
  ttlSeconds: 3600,
  forks: [
    { workload: { kind: 'Deployment', name: 'api' }, mode: 'image', image: 'a:2', env: {}, ports: [] },
    { workload: { kind: 'StatefulSet', name: 'db' }, mode: 'env', env: { X: '1' }, ports: [] },
  ],
  checks: [],
};

function plan(baseline: KubeObject[], placement: { mode: 'namespace' } | { mode: 'shared'; namespace: string } = { mode: 'namespace' }, forSpec = spec) {
  return planSandbox({ spec: forSpec, baseline, placement, renewTime, holderIdentity: 'x', developer: 'jane', branch: 'main' });
}

test('every place a pod reads a ConfigMap or Secret from, with whether it starts without it', () => {
  const refs = podReferences(api);
  assert.deepEqual(
    refs.config.map((r) => `${r.kind}/${r.name}${r.optional ? '?' : ''}`),
    ['ConfigMap/bundle', 'ConfigMap/extra?', 'ConfigMap/flags?', 'ConfigMap/settings', 'Secret/api-token', 'Secret/db', 'Secret/registry?', 'Secret/signing?', 'Secret/tls'],
  );
  // Optional in one workload, required in another: required.
  assert.equal(copiedReferences(spec, [api, db]).find((r) => r.name === 'flags')?.optional, false);
  assert.deepEqual(copiedReferences({ ...spec, forks: [{ ...spec.forks[0], mode: 'local' }] }, [api, db]), [], 'local forks run the relay, which reads none of them');
});

test('own namespace: referenced objects are copied as snapshots, labelled as the sandbox\'s; missing optional ones are skipped', () => {
  const result = plan([api, db, ...config]);
  const copies = result.objects.filter((o) => o.metadata.annotations?.[copiedFromAnnotation]);
  assert.deepEqual(copies.map((o) => `${o.kind}/${o.metadata.name}`).sort(), ['ConfigMap/bundle', 'ConfigMap/flags', 'ConfigMap/settings', 'Secret/api-token', 'Secret/db', 'Secret/tls']);
  for (const copy of copies) {
    assert.ok(isTetherOwned(copy));
    assert.equal(copy.metadata.namespace, 'jane-main');
    assert.equal(copy.metadata.labels['tether.dev/role'], 'config-copy');
    assert.equal(copy.metadata.annotations?.[copiedFromAnnotation], `shop/${copy.metadata.name}`);
  }
  const settings = copies.find((o) => o.metadata.name === 'settings') as unknown as Record<string, unknown> & { metadata: Record<string, unknown> };
  assert.deepEqual([settings.data, settings.binaryData], [{ mode: 'fast' }, { logo: 'AAEC' }]);
  assert.equal(settings.metadata.uid, undefined, 'nothing of the baseline object\'s identity is carried over');
  assert.equal(settings.metadata.managedFields, undefined);
  assert.equal((copies.find((o) => o.metadata.name === 'tls') as { type?: string }).type, 'kubernetes.io/tls');
  assert.equal((copies.find((o) => o.metadata.name === 'api-token') as { type?: string }).type, 'Opaque', 'a service-account token is plain data outside its account\'s namespace');
  // Copies are applied before the workloads that read them.
  const index = (kind: string, name: string) => result.objects.findIndex((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(index('Secret', 'db') < index('StatefulSet', 'db') && index('ConfigMap', 'settings') < index('Deployment', 'api'));
  // The baseline's objects are not changed.
  assert.equal((config[0].metadata as { namespace: string }).namespace, 'shop');
  // Secret values reach the copies, never the notes.
  assert.ok(!result.notes.join('\n').includes(secretValue));
});

test('a missing required object is a planning error naming it and the workloads that need it', () => {
  const withoutDb = config.filter((o) => o.metadata.name !== 'db');
  assert.throws(() => plan([api, db, ...withoutDb]), (err: Error) => {
    assert.match(err.message, /Deployment "api" and StatefulSet "db" need Secret "db", which namespace "shop" does not have/);
    assert.match(err.message, /mark the reference optional/);
    return true;
  });
  const withoutSettings = config.filter((o) => o.metadata.name !== 'settings');
  assert.throws(() => plan([api, db, ...withoutSettings]), /Deployment "api" needs ConfigMap "settings"/);
});

test('shared namespace: the references already resolve, nothing is copied or read', () => {
  const result = plan([api, db], { mode: 'shared', namespace: 'shop' });
  assert.ok(!result.objects.some((o) => o.metadata.annotations?.[copiedFromAnnotation]));
  assert.ok(!result.notes.some((n) => n.includes('reads')));
  assert.ok(!planChecks(result).some((c) => c.resource === 'secrets' && c.verb === 'get' && c.name));
  const elsewhere = plan([api, db], { mode: 'shared', namespace: 'team' });
  assert.match(elsewhere.notes.find((n) => n.includes('"api" reads')) ?? '', /Secret "db".*copy them there \(Tether copies them only into a namespace of its own\)/);
});

test('the preflight asks to read each copied object by name in the baseline namespace', () => {
  const checks = planChecks(plan([api, db, ...config]));
  const reads = checks.filter((c) => c.namespace === 'shop' && c.verb === 'get');
  assert.deepEqual(reads.map((c) => `${c.verb} ${c.resource}/${c.name}`).sort(), ['get configmaps/bundle', 'get configmaps/flags', 'get configmaps/settings', 'get secrets/api-token', 'get secrets/db', 'get secrets/tls']);
  assert.deepEqual(checks.filter((c) => c.namespace === 'shop' && c.verb === 'list').map((c) => c.resource).sort(), ['deployments', 'services', 'statefulsets'], 'lists the baseline\'s workloads and Services, never its Secrets');
});

test('configCopies on its own: one copy per object however many forks read it', () => {
  const naming = { namespace: 'sb', nameOf: (n: string) => n, labels: { 'app.kubernetes.io/managed-by': 'tether' }, keepBaselinePodLabels: true };
  const copies = configCopies([{ fork: spec.forks[0], baseline: api }, { fork: spec.forks[1], baseline: db }], config, naming, 'shop');
  assert.equal(copies.filter((c) => c.metadata.name === 'db').length, 1);
});
