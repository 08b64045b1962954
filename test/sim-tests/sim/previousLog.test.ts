import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types';
import { createPodRuntime } from '../../sim/runtime/index';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../sim/server';
import { call, recordingText, type Answer } from './sim-client';

// Slow enough that a crash-looping container stays a while in each state, so tests see all of them.
const timings = { reconcileMs: 5, scheduleMs: 10, startMs: 30, readyMs: 400, crashBackoffMs: 400, terminateMs: 30 };
const ns = 'default';

interface ContainerStatus {
  restartCount: number;
  containerID?: string;
  state: { running?: unknown; waiting?: { reason: string } };
  lastState: { terminated?: { containerID: string } };
}

async function setup(t: { after(fn: () => unknown): void }, runtime: SimulatorOptions['runtime']): Promise<Simulator> {
  const sim = await startSimulator({ timings, runtime });
  t.after(() => sim.stop());
  sim.seed([{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, status: { capacity: { cpu: '8', memory: '16Gi', pods: '110' }, allocatable: { cpu: '8', memory: '16Gi', pods: '110' } } }]);
  for (const [name, env] of [['cart', [{ name: 'SIM_CRASH', value: '1' }]], ['web', []]] as const) {
    const created = await call(sim, 'POST', `/api/v1/namespaces/${ns}/pods`, { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name, image: `ghcr.io/example/${name}:1.0`, env }] } } });
    assert.equal(created.status, 201, created.text);
  }
  return sim;
}

function statusOf(sim: Simulator, name: string): ContainerStatus | undefined {
  return ((sim.cluster.get('Pod', ns, name)?.status as { containerStatuses?: ContainerStatus[] } | undefined)?.containerStatuses ?? [])[0];
}

/** The current and previous log of `name`, read while its status matched `when` and did not change. */
async function logsWhile(sim: Simulator, name: string, when: (s: ContainerStatus) => boolean): Promise<{ status: ContainerStatus; current: Answer; previous: Answer }> {
  const path = `/api/v1/namespaces/${ns}/pods/${name}/log`;
  for (let attempt = 0; attempt < 2000; attempt++) {
    const pod = sim.cluster.get('Pod', ns, name) as KubeObject | undefined;
    const status = statusOf(sim, name);
    if (pod && status && when(status)) {
      const [current, previous] = await Promise.all([call(sim, 'GET', path), call(sim, 'GET', `${path}?previous=true&timestamps=true`)]);
      if (sim.cluster.get('Pod', ns, name)?.metadata.resourceVersion === pod.metadata.resourceVersion) return { status, current, previous };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`pod ${name} never held the awaited state long enough to read its logs; last: ${JSON.stringify(statusOf(sim, name))}`);
}

/** Lines of a timestamped log without their timestamps, each checked against the kubelet's format. */
function untimed(text: string): string[] {
  const stamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /;
  return text.trimEnd().split('\n').map((line) => {
    assert.match(line, stamp, `"${line}" carries an RFC 3339 timestamp with nine fractional digits`);
    return line.replace(stamp, '');
  });
}

for (const [runtimeName, runtime] of [['the in-memory runtime', undefined], ['the process runtime (as the demo runs)', (cluster: Parameters<NonNullable<SimulatorOptions['runtime']>>[0]) => createPodRuntime(cluster)]] as const) {
  test(`a restarted container's previous run is kept as the kubelet keeps it: ${runtimeName}`, async (t) => {
    const sim = await setup(t, runtime);
    const recorded = untimed(recordingText('pod-log-previous-timestamps.txt'));

    // CrashLoopBackOff: the kubelet reads lastState.terminated for both, so current and previous are the run that crashed.
    const backoff = await logsWhile(sim, 'cart', (s) => s.restartCount >= 1 && s.state.waiting?.reason === 'CrashLoopBackOff');
    assert.equal(backoff.previous.status, 200, backoff.previous.text);
    const crashed = untimed(backoff.previous.text);
    assert.equal(crashed.at(-1), recorded.at(-1), 'the crash ends the previous run, as in the recording');
    assert.equal(crashed.filter((l) => l.startsWith('starting')).length, 1, `one run, not all of them: ${crashed.join(' | ')}`);
    assert.equal(backoff.current.text, crashed.map((l) => `${l}\n`).join(''));

    // Running again: the current log is the new run, previous the one before it.
    const again = await logsWhile(sim, 'cart', (s) => s.restartCount >= 1 && s.state.running !== undefined);
    assert.equal(again.previous.status, 200, again.previous.text);
    assert.equal(untimed(again.previous.text).at(-1), 'fatal: config missing');
    assert.match(again.current.text, /^starting ghcr\.io\/example\/cart:1\.0\n/);
    assert.doesNotMatch(again.current.text, /fatal/);
    assert.notEqual(again.status.containerID, again.status.lastState.terminated?.containerID);

    // Never restarted: the real kubelet's 400.
    const healthy = await logsWhile(sim, 'web', (s) => s.state.running !== undefined);
    assert.equal(healthy.current.status, 200);
    assert.equal(healthy.previous.status, 400);
    assert.equal(healthy.previous.body.reason, 'BadRequest');
    assert.equal(healthy.previous.body.message, 'previous terminated container "web" in pod "web" not found');
  });
}

test('a pod no node runs yet has an empty log, as the API server answers without a kubelet', async (t) => {
  const sim = await startSimulator({ timings, controllers: false });
  t.after(() => sim.stop());
  await call(sim, 'POST', `/api/v1/namespaces/${ns}/pods`, { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'waiting' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } });
  const answer = await call(sim, 'GET', `/api/v1/namespaces/${ns}/pods/waiting/log?follow=true`);
  assert.deepEqual([answer.status, answer.text], [200, '']);
  const wrong = await call(sim, 'GET', `/api/v1/namespaces/${ns}/pods/waiting/log?container=nope`);
  assert.equal(wrong.status, 400, 'the container is checked first');
});
