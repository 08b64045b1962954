import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types';
import { notReadyReason } from '../../../src/tunnel/relayPod';

function pod(status: unknown): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tether-relay-web-7d9f-x2x4q', namespace: 'shop', uid: 'u1' }, status } as KubeObject;
}

test('a relay pod that is not ready says why, in the words the tunnel shows', () => {
  assert.equal(
    notReadyReason(pod({ phase: 'Running', containerStatuses: [{ name: 'relay', state: { terminated: { exitCode: 3, reason: 'Error' } } }] })),
    'relay pod "tether-relay-web-7d9f-x2x4q"\'s agent exited (Error)',
  );
  assert.equal(
    notReadyReason(pod({ phase: 'Running', containerStatuses: [{ name: 'relay', state: { terminated: { exitCode: 3 } } }] })),
    'relay pod "tether-relay-web-7d9f-x2x4q"\'s agent exited (exit code 3)',
  );
  assert.equal(
    notReadyReason(pod({ phase: 'Running', containerStatuses: [{ name: 'relay', state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' } } }] })),
    'relay pod "tether-relay-web-7d9f-x2x4q" is waiting: CrashLoopBackOff (back-off 10s)',
  );
  assert.equal(notReadyReason(pod({ phase: 'Pending' })), 'relay pod "tether-relay-web-7d9f-x2x4q" is starting');
});
