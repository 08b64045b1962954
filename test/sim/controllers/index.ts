/** Starts the simulated kube-controller-manager, scheduler and kubelet; one owner disposes them all. */
import { DisposableStore, type Disposable } from '../../../src/lifecycle';
import type { ResourceApi } from '../api';
import type { PodRuntime } from '../contracts';
import type { EventRecorder } from '../events';
import type { ObjectStore } from '../store';
import { EndpointsController } from './endpoints';
import { JobController } from './job';
import { QuotaController } from './quota';
import { Kubelet } from './kubelet';
import { DeploymentController, ReplicaSetController } from './replicas';
import { Scheduler } from './scheduler';
import { ServiceAccountController } from './serviceAccounts';
import { DaemonSetController, StatefulSetController } from './sets';

export interface ControllerTimings {
  /** Delay before a controller reacts to a change. */
  reconcileMs: number;
  /** Pending -> scheduled. */
  scheduleMs: number;
  /** Bound -> ContainerCreating -> Running. */
  startMs: number;
  /** Running -> Ready. */
  readyMs: number;
  /** A Job's pod runs this long before it succeeds. */
  jobRunMs: number;
  /** Delay between crash restarts (the CrashLoopBackOff period). */
  crashBackoffMs: number;
  /** Graceful pod termination. */
  terminateMs: number;
}

export const defaultTimings: ControllerTimings = {
  reconcileMs: 20,
  scheduleMs: 150,
  startMs: 400,
  readyMs: 600,
  jobRunMs: 3000,
  crashBackoffMs: 5000,
  terminateMs: 300,
};

export interface ControllerContext {
  store: ObjectStore;
  api: ResourceApi;
  events: EventRecorder;
  runtime: PodRuntime;
  log: (message: string) => void;
  timings?: Partial<ControllerTimings>;
}

export function startControllers(ctx: ControllerContext): Disposable {
  const timings = { ...defaultTimings, ...ctx.timings };
  const all = new DisposableStore();
  all.add(new Scheduler(ctx, timings));
  all.add(new Kubelet(ctx, timings));
  all.add(new DeploymentController(ctx, timings));
  all.add(new ReplicaSetController(ctx, timings));
  all.add(new StatefulSetController(ctx, timings));
  all.add(new DaemonSetController(ctx, timings));
  all.add(new JobController(ctx, timings));
  all.add(new EndpointsController(ctx, timings));
  all.add(new QuotaController(ctx, timings));
  all.add(new ServiceAccountController(ctx, timings));
  return all;
}
