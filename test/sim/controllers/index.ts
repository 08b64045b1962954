/** Starts the simulated kube-controller-manager, scheduler and kubelet; one owner disposes them all. */
import { DisposableStore, type Disposable } from '../../../src/lifecycle';
import type { ResourceApi } from '../api';
import type { PodRuntime } from '../contracts';
import type { EventRecorder } from '../events';
import type { ObjectStore } from '../store';

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

export function startControllers(_ctx: ControllerContext): Disposable {
  const all = new DisposableStore();
  return all;
}
