import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExplainedError } from '../../../src/kube/errors';
import { describeCheck } from '../../../src/kube/role';
import { combinedFailure } from '../../../src/ui/session/watchFailures';

const refused = (verb: string, resource: string) =>
  new ExplainedError({ reason: 'Forbidden', what: `Watch ${resource}`, why: `user "jane" may not ${verb} ${resource}`, remedy: 'Ask', status: 403, server: 'https://k', context: 'dev' });
const where = { context: 'dev', namespace: 'shop' };

test("every refusal in a namespace is named at once, and the view shows less rather than nothing when each has a way around", () => {
  const failure = combinedFailure(where, [
    { kind: 'ReplicaSet', error: refused('list', 'replicasets.apps') },
    { kind: 'DaemonSet', error: refused('list', 'daemonsets.apps') },
    { kind: 'Job', error: refused('list', 'jobs.batch') },
  ]);
  assert.ok(failure);
  assert.equal(failure.partial, true, 'pods are still grouped: a limit, not an error');
  assert.match(failure.error.why, /list replicasets\.apps in namespace "shop", list daemonsets\.apps in namespace "shop", list jobs\.batch in namespace "shop"/);
  assert.match(failure.error.why, /pod-template-hash/, 'says what is shown instead');
  assert.deepEqual(failure.needs.map(describeCheck).sort(), [
    'list daemonsets.apps in namespace "shop"',
    'list jobs.batch in namespace "shop"',
    'list replicasets.apps in namespace "shop"',
    'watch daemonsets.apps in namespace "shop"',
    'watch jobs.batch in namespace "shop"',
    'watch replicasets.apps in namespace "shop"',
  ], 'the Role offered grants each');
});

test('a refusal the view cannot work around makes the failure an error, still naming every refusal', () => {
  const failure = combinedFailure(where, [
    { kind: 'Deployment', error: refused('list', 'deployments.apps') },
    { kind: 'ReplicaSet', error: refused('list', 'replicasets.apps') },
  ]);
  assert.ok(failure && !failure.partial);
  assert.match(failure.error.why, /list deployments\.apps in namespace "shop", list replicasets\.apps in namespace "shop"/);
  const single = combinedFailure(where, [{ kind: 'Pod', error: refused('list', 'pods') }]);
  assert.equal(single?.error.why, 'user "jane" may not list pods', "one refusal is the API server's own");
  assert.deepEqual(single?.needs.map(describeCheck), ['list pods in namespace "shop"', 'watch pods in namespace "shop"']);
});

test('a failure that is not a refusal is shown as it is, whatever was refused beside it', () => {
  const down = new ExplainedError({ reason: 'Unreachable', what: 'Watch pods', why: 'the cluster did not answer', remedy: 'Retry' });
  const failure = combinedFailure(where, [{ kind: 'ReplicaSet', error: refused('list', 'replicasets.apps') }, { kind: 'Pod', error: down }]);
  assert.equal(failure?.error, down);
  assert.equal(combinedFailure(where, []), undefined);
});
