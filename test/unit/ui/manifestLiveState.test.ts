import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types';
import { emptyObjects, liveState, liveStateTitle } from '../../../src/ui/manifests/liveState';
import { kubeApiJson } from '../../fixtures/kubeApi';

const byName = (items: KubeObject[]) => new Map(items.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));

test('a recorded Deployment with its ReplicaSet and pods: ready count and restarts', () => {
  const deployment = kubeApiJson('deployment-web.json') as KubeObject;
  const objects = {
    ...emptyObjects(),
    deployments: byName([deployment]),
    replicaSets: byName(kubeApiJson('replicasets-web.json').items),
    pods: byName(kubeApiJson('pods-web-running.json').items),
  };
  const state = liveState('Deployment', 'web', objects);
  assert.deepEqual(state, { phase: 'present', text: '2/2 ready · 0 restarts', healthy: true });
  assert.equal(liveStateTitle(state), '$(pass) 2/2 ready · 0 restarts');
  assert.deepEqual(liveState('Deployment', 'api', objects), { phase: 'absent' });
  assert.equal(liveStateTitle({ phase: 'absent' }), '$(circle-slash) not in cluster');
  assert.deepEqual(liveState('StatefulSet', 'web', objects), { phase: 'absent' }, 'the kind counts, not only the name');
});

test('a crash-looping pod says why, how ready and how many restarts', () => {
  const pod = kubeApiJson('pod-crashloop.json') as KubeObject;
  const state = liveState('Pod', pod.metadata.name, { ...emptyObjects(), pods: byName([pod]) });
  assert.equal(state.phase, 'present');
  assert.match(liveStateTitle(state), /^\$\(warning\) CrashLoopBackOff · 0\/1 ready · \d+ restarts$/);
});
