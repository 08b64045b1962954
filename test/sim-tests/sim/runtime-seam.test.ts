import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types';
import { startSimulator, type Simulator } from '../../sim/server';
import { MemoryRuntime } from '../../sim/memory-runtime';
import type { SimCluster } from '../../sim/contracts';
import { call, until } from './sim-client';

let sim: Simulator;
const calls: string[] = [];

/** Claims pods labelled run=process, and plays a tiny kubelet for them through SimCluster. */
class ClaimingRuntime extends MemoryRuntime {
  constructor(private readonly seam: SimCluster) {
    super(seam);
  }

  override claims(pod: KubeObject): boolean {
    return pod.metadata.labels?.run === 'process';
  }

  override start(pod: KubeObject): void {
    calls.push(`start ${pod.metadata.name} on ${(pod.spec as { nodeName?: string }).nodeName}`);
    this.seam.updateStatus('Pod', pod.metadata.namespace ?? '', pod.metadata.name, (status) => {
      status.phase = 'Running';
    });
    this.seam.recordEvent(pod, 'Normal', 'Started', 'Started process');
  }

  override stop(namespace: string, name: string): void {
    calls.push(`stop ${namespace}/${name}`);
    super.stop(namespace, name);
  }
}

before(async () => {
  sim = await startSimulator({ runtime: (cluster) => new ClaimingRuntime(cluster), timings: { reconcileMs: 5, startMs: 20, readyMs: 20, terminateMs: 20 } });
  sim.seed([{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '10' }, capacity: { cpu: '4', memory: '8Gi', pods: '10' } } }]);
});
after(() => sim.stop());

test('claimed pods go to the runtime after binding and are stopped when deleted; others stay with the simulated kubelet', async () => {
  const pod = (name: string, labels: Record<string, string>) => ({ metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'node:20' }] } });
  await call(sim, 'POST', '/api/v1/namespaces/default/pods', { body: pod('proc', { run: 'process' }) });
  await call(sim, 'POST', '/api/v1/namespaces/default/pods', { body: pod('plain', {}) });
  await until(() => calls.includes('start proc on n1'), 3000, 'runtime start');
  await until(() => (sim.cluster.get('Pod', 'default', 'plain')?.status as { phase?: string }).phase === 'Running', 3000, 'plain pod running');
  assert.equal((sim.cluster.get('Pod', 'default', 'proc')?.status as { containerStatuses?: unknown }).containerStatuses, undefined, 'the simulated kubelet left the claimed pod alone');
  assert.ok(!calls.some((c) => c.startsWith('start plain')));
  const events = sim.cluster.list('Event', 'default').filter((e) => (e as { involvedObject?: { name: string } }).involvedObject?.name === 'proc');
  assert.ok(events.some((e) => (e as { reason?: string }).reason === 'Started'));
  await call(sim, 'DELETE', '/api/v1/namespaces/default/pods/proc');
  await until(() => !sim.cluster.get('Pod', 'default', 'proc'), 3000, 'claimed pod removed after termination');
  assert.ok(calls.includes('stop default/proc'));
});
