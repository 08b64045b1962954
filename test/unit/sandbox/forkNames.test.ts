import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types';
import { forkNames } from '../../../src/sandbox/forks/forkNames';
import { planSandbox } from '../../../src/sandbox/plan';
import { agent, baselineOf, specOf } from './planGolden';

const renewTime = new Date('2026-11-22T03:00:00.000Z');

test('a local fork is named for the workload it forks, not for the agent that stands in for it', () => {
  const plan = planSandbox({
    spec: specOf('local.tether.yaml'),
    baseline: baselineOf('baseline.yaml'),
    renewTime,
    holderIdentity: 'x',
    placement: { mode: 'shared', namespace: 'shop' },
    developer: 'jane',
    branch: 'main',
    agent,
  });
  const deployments = plan.objects.filter((o) => o.kind === 'Deployment') as unknown as KubeObject[];
  assert.deepEqual(deployments.map((d) => d.metadata.name), ['jane-main-tether-agent']);
  assert.deepEqual(forkNames(deployments), ['api (local)']);
});

test('forks are named for the workload; the agent lists its local forks and is no fork itself', () => {
  const workload = (name: string, labels: Record<string, string>, annotations?: Record<string, string>): KubeObject => ({ metadata: { name, uid: name, resourceVersion: '1', labels, ...(annotations ? { annotations } : {}) } });
  assert.deepEqual(
    forkNames([
      workload('jane-main-api', { 'tether.dev/fork': 'api', 'tether.dev/role': 'fork' }),
      workload('tether-agent', { 'tether.dev/role': 'agent' }, { 'tether.dev/local-forks': 'web,cart' }),
    ]),
    ['api', 'web (local)', 'cart (local)'],
  );
  assert.deepEqual(forkNames([workload('tether-agent', { 'tether.dev/role': 'agent' })]), [], 'an agent without local forks');
});
