import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExplainedError } from '../../../src/kube/errors';
import { explainTransportError } from '../../../src/kube/explain';
import { causeKey, failureHeadline, failureNotice, isClusterWide } from '../../../src/kube/failureCause';
import { FailureNotices } from '../../../src/ui/failureNotices';
import { ManualClock } from '../kube/manual-clock';

const server = 'https://127.0.0.1:6443';
const refused = (what: string, code = 'ECONNREFUSED') => explainTransportError({ what, server, context: 'dev' }, Object.assign(new Error(`connect ${code}`), { code }));

test('an unreachable cluster is one cause, whichever feature met it', () => {
  const namespaces = refused('Watch namespaces');
  const leases = refused('List leases in namespace default', 'ETIMEDOUT');
  assert.ok(isClusterWide(namespaces));
  assert.equal(causeKey(namespaces), causeKey(leases));
  assert.notEqual(causeKey(namespaces), causeKey(explainTransportError({ what: 'Watch namespaces', server: 'https://other:6443', context: 'prod' }, Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))), 'another cluster is another cause');
  assert.equal(failureHeadline(namespaces), 'Cannot reach the cluster of context "dev"');
  assert.equal(failureNotice(leases), `Cannot reach the cluster of context "dev": ${leases.why}. ${leases.remedy}`);
});

test('a failure of one request is its own cause', () => {
  const pods = new ExplainedError({ reason: 'Forbidden', what: 'List pods in namespace shop', why: 'user "jane" may not list pods in namespace "shop"', remedy: 'Ask for a Role', status: 403 });
  const leases = new ExplainedError({ reason: 'Forbidden', what: 'List leases in namespace shop', why: 'user "jane" may not list leases in namespace "shop"', remedy: 'Ask for a Role', status: 403 });
  assert.ok(!isClusterWide(pods));
  assert.notEqual(causeKey(pods), causeKey(leases));
  assert.equal(failureHeadline(pods), 'List pods in namespace shop failed');
  assert.equal(failureNotice(pods), pods.message);
});

test('one notice per cause, again after a retry or ten quiet minutes', () => {
  const clock = new ManualClock();
  const notices = new FailureNotices(clock);
  assert.equal(notices.admit(refused('Watch namespaces')), true);
  assert.equal(notices.admit(refused('List leases in namespace default')), false, 'the Sandboxes view met the same cause');
  assert.equal(notices.admit(refused('Watch pods in namespace shop')), false);
  clock.advance(9 * 60_000);
  assert.equal(notices.admit(refused('Watch namespaces')), false);
  clock.advance(60_000);
  assert.equal(notices.admit(refused('Watch namespaces')), true, 'ten quiet minutes later');
  notices.reset();
  assert.equal(notices.admit(refused('List leases in namespace default')), true, 'after a retry');
  assert.equal(notices.admit('a plain message'), true);
  assert.equal(notices.admit('a plain message'), false);
});
