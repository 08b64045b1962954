/** The in-process simulator the cluster-facing tests use when no real cluster is named. */
import type { ControllerTimings } from '../sim/controllers/index';
import type { ObjectInput } from '../sim/defaults';
import { createPodRuntime, type ProcessPodRuntime } from '../sim/runtime/index';
import { startSimulator, type Simulator } from '../sim/server';

export interface SimulatorChoices {
  /**
   * Controller delays over the tests' short ones (tens of milliseconds); `'simulator'` keeps the
   * simulator's own, as the demo runs, for benchmarks that measure what a user would wait.
   */
  timings?: Partial<ControllerTimings> | 'simulator';
  /** Nodes to start with; default one schedulable node without GPUs. */
  nodes?: ObjectInput[];
}

export const testTimings: Partial<ControllerTimings> = { reconcileMs: 5, scheduleMs: 10, startMs: 20, readyMs: 20, terminateMs: 20 };

export function plainNode(name = 'node-1'): ObjectInput {
  const resources = { cpu: '8', memory: '16Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: { allocatable: resources, capacity: resources, addresses: [{ type: 'InternalIP', address: '10.0.0.1' }], conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

/** A node with `count` nvidia.com/gpu, tainted as GPU nodes usually are. */
export function gpuNode(name: string, count: number): ObjectInput {
  const resources = { cpu: '32', memory: '128Gi', pods: '110', 'nvidia.com/gpu': String(count) };
  const node = plainNode(name);
  return {
    ...node,
    metadata: { ...node.metadata, labels: { ...node.metadata.labels, 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' } },
    spec: { taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] },
    status: { ...(node.status as object), allocatable: resources, capacity: resources },
  };
}

/** The simulator with the process runtime: pods running `node` on a ConfigMap script run for real. */
export async function startTestSimulator(choices: SimulatorChoices): Promise<{ sim: Simulator; runtime: ProcessPodRuntime }> {
  const holder: { sim?: Simulator; runtime?: ProcessPodRuntime } = {};
  const sim = await startSimulator({
    controllers: true,
    timings: choices.timings === 'simulator' ? {} : { ...testTimings, ...choices.timings },
    runtime: (cluster) =>
      (holder.runtime = createPodRuntime(cluster, {
        backoff: { baseMs: 100, maxMs: 200 },
        apiServer: (pod) => holder.sim?.inClusterAccess(pod),
      })),
  });
  holder.sim = sim;
  sim.seed(choices.nodes ?? [plainNode()]);
  if (!holder.runtime) throw new Error('the simulator started without its pod runtime');
  return { sim, runtime: holder.runtime };
}
