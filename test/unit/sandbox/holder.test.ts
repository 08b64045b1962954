import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types';
import { checkPlanFrom } from '../../../src/sandbox/checks/checkPlan';
import { checkJob } from '../../../src/sandbox/checks/checks';
import { describeHolder, heldElsewhere, liveHolder } from '../../../src/sandbox/lifecycle/holder';
import { microTime } from '../../../src/sandbox/lifecycle/lease';

const t0 = Date.parse('2026-11-22T03:00:00Z');

function lease(holder: string | undefined, renewedAt: number, placement: 'namespace' | 'shared' = 'namespace'): KubeObject {
  const labels = { 'app.kubernetes.io/managed-by': 'tether', 'tether.dev/sandbox': 'jane-main', 'tether.dev/owner': 'jane', 'tether.dev/role': 'lease' };
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: placement === 'namespace' ? 'tether-sandbox' : 'jane-main-tether-sandbox', namespace: placement === 'namespace' ? 'jane-main' : 'shop', uid: 'u1', resourceVersion: '1', labels, annotations: { 'tether.dev/ttl-seconds': '7200', 'tether.dev/placement': placement } },
    spec: { ...(holder ? { holderIdentity: holder } : {}), leaseDurationSeconds: 60, renewTime: microTime(new Date(renewedAt)) },
  };
}

test('a holder is alive while it renews within the Lease duration; mine, released or stopped holders are not in the way', () => {
  assert.deepEqual(liveHolder(lease('jane@laptop/vscode', t0), 'jane@laptop/cli', t0 + 10_000), { holder: 'jane@laptop/vscode', renewedAt: t0 });
  assert.equal(liveHolder(lease('jane@laptop/cli', t0), 'jane@laptop/cli', t0 + 10_000), undefined, 'the same front door');
  assert.equal(liveHolder(lease(undefined, t0), 'jane@laptop/cli', t0 + 10_000), undefined, 'released');
  assert.equal(liveHolder(lease('jane@laptop/vscode', t0), 'jane@laptop/cli', t0 + 61_000), undefined, 'stopped renewing');
});

test('held elsewhere: a Conflict that names the holder plainly, with taking over as the next step', () => {
  const err = heldElsewhere('jane-main', { holder: 'jane@laptop/vscode', renewedAt: t0 }, t0 + 12_000);
  assert.equal(err.reason, 'Conflict');
  assert.match(err.why, /jane on laptop \(VS Code\) runs it \(its Lease was renewed 12 s ago\)/);
  assert.deepEqual(err.step, { code: 'takeOver', sandbox: 'jane-main', holder: 'jane on laptop (VS Code)' });
  assert.equal(describeHolder('ci@runner-7/cli'), 'ci on runner-7 (the tether CLI)');
  assert.equal(describeHolder('someone else'), 'someone else');
});

test('the check plan rebuilt from the Lease gives the Jobs the planned labels, namespace and preview URL', () => {
  const own = checkPlanFrom(lease('x', t0), { preview: { service: 'web', port: 80, path: '/' } });
  assert.equal(own.namespace, 'jane-main');
  assert.deepEqual(own.entry, { service: 'web', port: 80, path: '/' });
  const job = checkJob(own, { name: 'smoke', image: 'curl', command: ['true'], env: {}, timeoutSeconds: 30 }, 'r1');
  assert.equal(job.metadata.name, 'check-smoke-r1');
  assert.deepEqual(job.metadata.labels, { 'app.kubernetes.io/managed-by': 'tether', 'tether.dev/sandbox': 'jane-main', 'tether.dev/owner': 'jane', 'tether.dev/role': 'check', 'tether.dev/check': 'smoke' });
  const shared = checkPlanFrom(lease('x', t0, 'shared'), { preview: { service: 'web', path: '/p' } });
  assert.equal(shared.placement, 'shared');
  assert.deepEqual(shared.entry, { service: 'jane-main-web', path: '/p' });
  assert.equal(checkJob(shared, { name: 'smoke', image: 'curl', command: ['true'], env: {}, timeoutSeconds: 30 }, 'r1').metadata.name, 'jane-main-check-smoke-r1');
});
