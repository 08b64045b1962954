/**
 * The simulator's pod runtime: pods whose containers run `node` on a script from a mounted
 * ConfigMap run as real local processes with an emulated network namespace; every pod's logs are
 * served through pods/log, and process pods' ports through pods/portforward.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { Disposable } from '../../../src/lifecycle';
import type { KubeObject } from '../../../src/kube/types';
import type { PodRuntime, SimCluster, SubresourceRequest } from '../contracts';
import type { RestartBackoff } from './containerRunner';
import { DialProxy } from './dialProxy';
import { serveLog } from './logRequest';
import { defaultLogLimits, LogStore, type LogLimits } from './logStore';
import type { PodPortTarget } from './podNetwork';
import { PodRunner } from './podRunner';
import { isProcessPod } from './podSpec';
import { defaultPortForwardLimits, PortForwardServer, type PortForwardLimits, type PortForwardStats } from './portForward';
import type { ApiServerAccess } from './serviceAccount';
import { ServiceRouter } from './serviceRouting';

export type { PodPortTarget } from './podNetwork';
export type { PortForwardStats } from './portForward';
export type { ApiServerAccess } from './serviceAccount';

export interface PodRuntimeOptions {
  /** Where the runtime makes its private folder (default: the OS temp folder). */
  tempRoot?: string;
  /** CrashLoopBackOff: first delay, cap, and how long a run must last to reset it. */
  backoff?: Partial<RestartBackoff>;
  /** Cap on a pod's termination grace period before SIGKILL (default 2000 ms). */
  maxGraceMs?: number;
  logLimits?: LogLimits;
  portForward?: PortForwardLimits;
  /**
   * How a process pod reaches the API server (asked when it starts, with its ServiceAccount's token): enables the service
   * account mount and KUBERNETES_SERVICE_* variables, and lets dials to it leave the pod.
   */
  apiServer?: (pod: KubeObject) => ApiServerAccess | undefined;
}

const defaultBackoff: RestartBackoff = { baseMs: 500, maxMs: 8000, resetAfterMs: 60_000 };

function podKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export class ProcessPodRuntime implements PodRuntime {
  private readonly root: string;
  private readonly logs: LogStore;
  private readonly runners = new Map<string, PodRunner>();
  private readonly stopping = new Map<PodRunner, Promise<void>>();
  private readonly proxy: DialProxy;
  private readonly portForwards: PortForwardServer;
  private readonly subscription: Disposable;
  private readonly backoff: RestartBackoff;
  private readonly maxGraceMs: number;
  private readonly apiServer: ((pod: KubeObject) => ApiServerAccess | undefined) | undefined;
  private nextIp = 0;
  private disposed = false;

  constructor(
    private readonly cluster: SimCluster,
    options: PodRuntimeOptions = {},
  ) {
    this.root = mkdtempSync(join(options.tempRoot ?? tmpdir(), 'tether-sim-'));
    this.logs = new LogStore(options.logLimits ?? defaultLogLimits);
    this.backoff = { ...defaultBackoff, ...options.backoff };
    this.maxGraceMs = options.maxGraceMs ?? 2000;
    this.apiServer = options.apiServer;
    const router = new ServiceRouter(cluster, (ns, pod, port) => this.resolvePodPort(ns, pod, port));
    this.proxy = new DialProxy(join(this.root, 'dial.sock'), (request) => router.route(request));
    this.proxy.ready.catch(() => undefined);
    this.portForwards = new PortForwardServer((ns, pod, port) => this.resolvePodPort(ns, pod, port), options.portForward ?? defaultPortForwardLimits);
    this.subscription = cluster.onChange((event) => {
      if (event.kind !== 'Pod' || event.type !== 'DELETED') return;
      const { namespace = 'default', name, uid } = event.object.metadata;
      if (this.runners.get(podKey(namespace, name))?.uid === uid) this.stop(namespace, name);
      this.logs.removePod(namespace, name);
    });
  }

  claims(pod: KubeObject): boolean {
    return isProcessPod(pod);
  }

  start(pod: KubeObject): void {
    if (this.disposed) return;
    const namespace = pod.metadata.namespace ?? 'default';
    const key = podKey(namespace, pod.metadata.name);
    const existing = this.runners.get(key);
    if (existing?.uid === pod.metadata.uid) return;
    if (existing) this.stop(namespace, pod.metadata.name);
    const runner = new PodRunner(
      {
        cluster: this.cluster,
        logs: this.logs,
        backoff: this.backoff,
        maxGraceMs: this.maxGraceMs,
        preloads: [join(__dirname, 'netns-preload.cjs'), join(__dirname, 'mounts-preload.cjs')],
        dialSocket: this.proxy.socketPath,
        apiServer: this.apiServer,
        root: this.root,
        allocateIp: () => this.allocateIp(),
      },
      pod,
    );
    this.runners.set(key, runner);
    this.proxy.ready
      .then(() => {
        if (this.runners.get(key) === runner && runner.isActive) runner.start();
      })
      .catch((err: unknown) => {
        const why = err instanceof Error ? err.message : String(err);
        this.cluster.recordEvent(pod, 'Warning', 'Failed', `Error: the node could not start the pod's processes: ${why}`);
      });
  }

  stop(namespace: string, name: string): void {
    const key = podKey(namespace, name);
    const runner = this.runners.get(key);
    if (!runner) return;
    this.runners.delete(key);
    this.stopping.set(runner, runner.stop().finally(() => this.stopping.delete(runner)));
  }

  beginLog(namespace: string, pod: string, container: string, containerID: string): void {
    this.logs.begin(namespace, pod, container, containerID);
  }

  appendLog(namespace: string, pod: string, container: string, line: string): void {
    this.logs.append(namespace, pod, container, line.endsWith('\n') ? line : `${line}\n`);
  }

  serveLog(request: SubresourceRequest, res: ServerResponse): void {
    serveLog(this.logs, request, res);
  }

  servePortForward(request: SubresourceRequest, socket: Duplex, head: Buffer): void {
    this.portForwards.serve(request, socket, head);
  }

  cutPortForwards(): void {
    this.portForwards.cutAll();
  }

  /** Where a pod's container port really listens, or undefined when nothing listens on it. */
  resolvePodPort(namespace: string, pod: string, port: number): PodPortTarget | undefined {
    return this.runners.get(podKey(namespace, pod))?.network.resolve(port);
  }

  /** Pids of a process pod's running containers. */
  podPids(namespace: string, pod: string): number[] {
    return this.runners.get(podKey(namespace, pod))?.pids ?? [];
  }

  get portForwardStats(): PortForwardStats {
    return this.portForwards.stats;
  }

  /** Resolves once every pod being stopped has no process left. */
  async settled(): Promise<void> {
    while (this.stopping.size > 0) await Promise.all([...this.stopping.values()]);
  }

  private allocateIp(): string {
    const n = this.nextIp++;
    return `10.244.${1 + Math.floor(n / 254)}.${1 + (n % 254)}`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription.dispose();
    this.portForwards.dispose();
    for (const runner of [...this.runners.values(), ...this.stopping.keys()]) runner.dispose();
    this.runners.clear();
    this.stopping.clear();
    this.proxy.dispose();
    this.logs.dispose();
    rmSync(this.root, { recursive: true, force: true });
  }
}

export function createPodRuntime(cluster: SimCluster, options?: PodRuntimeOptions): ProcessPodRuntime {
  return new ProcessPodRuntime(cluster, options);
}
