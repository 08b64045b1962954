import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types';
import { forkNames } from '../../../src/sandbox/forks/forkNames';
import { planSandbox } from '../../../src/sandbox/plan';
import { sandboxRelayBuilder } from '../../../src/sandbox/relayBuilder';
import { baselineOf, specOf } from './planGolden';

const renewTime = new Date('2026-11-22T03:00:00.000Z');

test("a local fork is named for the workload it forks, not for its relay", () => {
  const plan = planSandbox({
    spec: specOf('local.tether.yaml'),
    baseline: baselineOf('baseline.yaml'),
    renewTime,
    holderIdentity: 'x',
    placement: { mode: 'shared', namespace: 'shop' },
    developer: 'jane',
    branch: 'main',
    relay: sandboxRelayBuilder({ agentScript: 'console.log(1)', token: 't0ken' }),
  });
  const deployments = plan.objects.filter((o) => o.kind === 'Deployment') as unknown as KubeObject[];
  assert.deepEqual(deployments.map((d) => d.metadata.name), ['jane-main-api-relay']);
  assert.deepEqual(forkNames(deployments), ['api (local)']);
});

test('forks are named for the workload; the preview gate is no fork', () => {
  const workload = (name: string, labels: Record<string, string>): KubeObject => ({ metadata: { name, uid: name, resourceVersion: '1', labels } });
  assert.deepEqual(
    forkNames([
      workload('jane-main-api', { 'tether.dev/fork': 'api', 'tether.dev/role': 'fork' }),
      workload('tether-preview', { 'tether.dev/role': 'preview-gate' }),
      workload('web-relay', { 'tether.dev/role': 'relay' }),
    ]),
    ['api', 'web-relay (local)'],
    'a relay that says nothing about its workload keeps its own name',
  );
});
