/**
 * The seam between the simulator's API server (store, REST, controllers, scheduler) and its pod
 * runtime (process runtime, pods/log, pods/portforward). The server owns a SimCluster and calls a
 * PodRuntime; the runtime sees the cluster only through SimCluster.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Disposable } from '../../src/lifecycle';
import type { KubeObject } from '../../src/kube/types';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ChangeEvent {
  type: WatchEventType;
  /** Kind name, e.g. "Pod", "ConfigMap". */
  kind: string;
  object: KubeObject;
}

/** What the runtime may see and do in the simulated cluster. */
export interface SimCluster {
  get(kind: string, namespace: string, name: string): KubeObject | undefined;
  list(kind: string, namespace?: string): KubeObject[];
  onChange(listener: (event: ChangeEvent) => void): Disposable;
  /** Mutates `.status` of a stored object in place of a kubelet: bumps resourceVersion, emits MODIFIED. */
  updateStatus(kind: string, namespace: string, name: string, mutate: (status: Record<string, unknown>) => void): void;
  /** Records a core/v1 Event about `involved`, like a kubelet or controller would. */
  recordEvent(involved: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export interface SubresourceRequest {
  namespace: string;
  pod: KubeObject;
  req: IncomingMessage;
  url: URL;
  /** The injected latency (faults.ts) as it is now: a port-forward's answers are delayed by it. */
  latencyMs?: () => number;
}

/**
 * The node agent of the simulator. The API server's kubelet loop hands it every pod that has been
 * bound to a node; the runtime decides whether it runs the pod as a real process (`claims`) or
 * leaves it to the simulated kubelet, which only sets statuses.
 */
export interface PodRuntime extends Disposable {
  /** True when this pod's containers run as real local processes under this runtime. */
  claims(pod: KubeObject): boolean;
  /** Start (or adopt) a claimed pod that has just been scheduled. Status updates go through SimCluster. */
  start(pod: KubeObject): void;
  /** Stop a claimed pod's processes (pod deleted or being terminated). */
  stop(namespace: string, name: string): void;
  /**
   * A run of a pod's container starts as `containerID` (the ID its status names): its log starts
   * empty, and the run before it stays readable with `previous=true` (the simulated kubelet calls
   * this for the pods it plays).
   */
  beginLog(namespace: string, pod: string, container: string, containerID: string): void;
  /** Append a log line to the latest run of any pod's container (the simulated kubelet uses this for synthetic logs). */
  appendLog(namespace: string, pod: string, container: string, line: string): void;
  /** GET .../pods/NAME/log: answers with the run the Pod's status names (follow, previous, tailLines, timestamps, sinceSeconds). */
  serveLog(request: SubresourceRequest, res: ServerResponse): void;
  /** GET .../pods/NAME/portforward upgraded to WebSocket (v4.channel.k8s.io). */
  servePortForward(request: SubresourceRequest, socket: Duplex, head: Buffer): void;
  /** Fault injection: cut every open port-forward connection. */
  cutPortForwards(): void;
}
