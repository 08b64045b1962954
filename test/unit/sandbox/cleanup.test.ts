import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanupTargetFromEnv, leaseState, planCleanup, type ListedObject } from '../../../src/agent/cleanup';
import { leaseObject, leaseTiming, hasLapsed, isStale, microTime } from '../../../src/sandbox/lifecycle/lease';

const labels = (sandbox: string, extra: Record<string, string> = {}) => ({ 'app.kubernetes.io/managed-by': 'tether', 'tether.dev/sandbox': sandbox, 'tether.dev/owner': 'jane', ...extra });
const obj = (name: string, l: Record<string, string>, uid = `uid-${name}`): ListedObject => ({ metadata: { name, uid, labels: l } });

test('cleanup order: workloads, services, config; only this sandbox; the agent\'s Deployment and RBAC left to the Lease; namespace then Lease last', () => {
  const found = new Map<string, ListedObject[]>([
    ['Deployment', [obj('api', labels('s')), obj('tether-agent', labels('s', { 'tether.dev/role': 'agent' })), obj('theirs', labels('other')), obj('baseline', { app: 'x' })]],
    ['Service', [obj('api', labels('s'))]],
    ['ConfigMap', [obj('tether-agent', labels('s', { 'tether.dev/role': 'agent' }))]],
    ['Role', [obj('tether-agent', labels('s'))]],
  ]);
  const steps = planCleanup(found, { sandbox: 's', namespace: 's', lease: 'tether-sandbox', ownsNamespace: true });
  assert.deepEqual(
    steps.map((s) => `${typeof s.kind === 'string' ? s.kind : s.kind.kind}/${s.name}${s.uid ? `@${s.uid}` : ''}`),
    ['Deployment/api@uid-api', 'Service/api@uid-api', 'ConfigMap/tether-agent@uid-tether-agent', 'Namespace/s', 'Lease/tether-sandbox'],
  );
  const shared = planCleanup(found, { sandbox: 's', namespace: 'shop', lease: 's-tether-sandbox', ownsNamespace: false });
  assert.ok(!shared.some((s) => s.kind === 'Namespace'));
  assert.equal(shared.at(-1)?.name, 's-tether-sandbox');
});

test('lease state: alive until renewTime + TTL, then lapsed; a missing Lease is gone', () => {
  const renew = new Date('2026-01-01T00:00:00Z');
  const lease = leaseObject({ name: 'l', namespace: 'n', labels: {}, holderIdentity: 'h', developer: 'd', baselineNamespace: 'b', placement: 'shared', ttlSeconds: 120, leaseDurationSeconds: 30, renewTime: renew });
  assert.equal(lease.spec.renewTime, '2026-01-01T00:00:00.000000Z');
  const t0 = renew.getTime();
  assert.deepEqual(leaseState(lease, t0 + 119_000, 7200), { state: 'alive', expiresAt: t0 + 120_000 });
  assert.deepEqual(leaseState(lease, t0 + 120_000, 7200), { state: 'lapsed', expiresAt: t0 + 120_000 });
  assert.deepEqual(leaseState(undefined, t0, 7200), { state: 'gone' });
  const timing = leaseTiming(lease, 7200);
  assert.equal(isStale(timing, t0 + 10_000), false);
  assert.equal(isStale(timing, t0 + 31_000), true);
  assert.equal(hasLapsed(leaseTiming({ metadata: {}, spec: {} }, 60), t0), true, 'never renewed counts as lapsed');
  assert.equal(leaseTiming({ metadata: { annotations: { 'tether.dev/ttl-seconds': 'x' } }, spec: { renewTime: microTime(renew) } }, 60).ttlSeconds, 60);
});

test('the target comes from the agent\'s environment', () => {
  assert.equal(cleanupTargetFromEnv({}), undefined);
  assert.deepEqual(cleanupTargetFromEnv({ TETHER_SANDBOX: 's', TETHER_NAMESPACE: 'n', TETHER_LEASE: 'l', TETHER_OWNS_NAMESPACE: 'true' }), { sandbox: 's', namespace: 'n', lease: 'l', ownsNamespace: true });
});
