/**
 * One process pod on the simulated node: its private folder with the materialised volumes, one
 * runner per container, its emulated network namespace, and the status it reports.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Disposable } from '../../../src/lifecycle';
import type { KubeObject } from '../../../src/kube/types';
import type { SimCluster } from '../contracts';
import { ContainerRunner, type RestartBackoff } from './containerRunner';
import { applyPodStatus } from './kubeletStatus';
import type { LogStore } from './logStore';
import { PodNetwork } from './podNetwork';
import { podSpecOf, restartPolicyOf } from './podSpec';
import { preloadEnv } from './preloadProtocol';
import { kubernetesServiceEnv, serviceAccountMountPath, writeServiceAccount, type ApiServerAccess } from './serviceAccount';
import { materialiseVolumes, MountError, MountTable } from './volumes';

export interface PodRunnerContext {
  cluster: SimCluster;
  logs: LogStore;
  backoff: RestartBackoff;
  /** Upper bound for a pod's termination grace period. */
  maxGraceMs: number;
  /** CommonJS preloads for every container process. */
  preloads: string[];
  dialSocket: string;
  /** How process pods reach the API server, once it is known. */
  /** How the pod reaches the API server, with its ServiceAccount's token; undefined: it cannot. */
  apiServer?: (pod: KubeObject) => ApiServerAccess | undefined;
  /** Folder under which the pod gets its private folder. */
  root: string;
  /** A fresh pod IP for a pod whose status has none. */
  allocateIp(): string;
}

export class PodRunner implements Disposable {
  readonly network = new PodNetwork();
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  private readonly dir: string;
  private readonly runners: ContainerRunner[] = [];
  private pod: KubeObject;
  private mountRetry: NodeJS.Timeout | undefined;
  private active = true;

  constructor(
    private readonly ctx: PodRunnerContext,
    pod: KubeObject,
  ) {
    this.pod = pod;
    this.namespace = pod.metadata.namespace ?? 'default';
    this.name = pod.metadata.name;
    this.uid = pod.metadata.uid;
    this.dir = join(ctx.root, `${this.namespace}_${this.name}_${this.uid.slice(0, 8)}`);
  }

  /** Pids of the running container processes. */
  get pids(): number[] {
    return this.runners.flatMap((r) => (r.pid === undefined ? [] : [r.pid]));
  }

  get isActive(): boolean {
    return this.active;
  }

  private currentPod(): KubeObject {
    const stored = this.ctx.cluster.get('Pod', this.namespace, this.name);
    if (stored && stored.metadata.uid === this.uid) this.pod = stored;
    return this.pod;
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    if (this.active) this.ctx.cluster.recordEvent(this.currentPod(), type, reason, message);
  }

  private isStored(): boolean {
    return this.ctx.cluster.get('Pod', this.namespace, this.name)?.metadata.uid === this.uid;
  }

  /** The InternalIP of the pod's node, as the kubelet reports it. */
  private hostIP(): string {
    const nodeName = podSpecOf(this.pod).nodeName ?? '';
    const node = nodeName ? this.ctx.cluster.get('Node', '', nodeName) : undefined;
    const addresses = (node?.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses ?? [];
    return addresses.find((a) => a.type === 'InternalIP')?.address ?? '127.0.0.1';
  }

  /** Writes the pod status; a pod that went away meanwhile has nothing left to update. */
  private writeStatus(): void {
    if (!this.isStored()) return;
    const records = this.runners.map((r) => r.record);
    try {
      this.ctx.cluster.updateStatus('Pod', this.namespace, this.name, (status) => {
        if (!status.podIP) {
          const ip = this.ctx.allocateIp();
          status.podIP = ip;
          status.podIPs = [{ ip }];
        }
        if (!status.hostIP) {
          const hostIP = this.hostIP();
          status.hostIP = hostIP;
          status.hostIPs = [{ ip: hostIP }];
        }
        applyPodStatus(status, records, new Date());
      });
    } catch (err) {
      if (this.isStored()) throw err;
    }
  }

  start(): void {
    const spec = podSpecOf(this.pod);
    mkdirSync(this.dir, { recursive: true });
    let volumeDirs: Map<string, string>;
    try {
      volumeDirs = materialiseVolumes(this.ctx.cluster, this.namespace, spec, this.dir);
    } catch (err) {
      if (!(err instanceof MountError)) throw err;
      this.event('Warning', 'FailedMount', err.message);
      this.mountRetry = setTimeout(() => this.active && this.start(), Math.max(this.ctx.backoff.baseMs, 500));
      return;
    }
    const policy = restartPolicyOf(spec);
    const podRef = `${this.name}_${this.namespace}(${this.uid})`;
    const access = spec.automountServiceAccountToken === false ? undefined : this.ctx.apiServer?.(this.pod);
    const extraMounts = access
      ? [{ mountPath: serviceAccountMountPath, hostPath: writeServiceAccount(join(this.dir, 'serviceaccount'), access, this.namespace) }]
      : [];
    const podPreloadEnv = {
      [preloadEnv.dialSocket]: this.ctx.dialSocket,
      [preloadEnv.namespace]: this.namespace,
      [preloadEnv.pod]: this.name,
      [preloadEnv.passthrough]: access ? `${access.host}:${access.port}` : '',
    };
    const serviceEnv = access ? kubernetesServiceEnv(access) : {};
    for (const container of spec.containers) {
      const mounts = new MountTable(container, volumeDirs, join(this.dir, 'rootfs', container.name), extraMounts);
      this.runners.push(
        new ContainerRunner(
          {
            cluster: this.ctx.cluster,
            logs: this.ctx.logs,
            backoff: this.ctx.backoff,
            restartPolicy: policy,
            preloads: this.ctx.preloads,
            podPreloadEnv,
            serviceEnv,
            podDir: this.dir,
            currentPod: () => this.currentPod(),
            podRef,
            event: (type, reason, message) => this.event(type, reason, message),
            changed: () => this.active && this.writeStatus(),
            report: (name, report) => {
              if (report.type === 'listen') this.network.listen(name, report.containerPort, report.port, report.host);
              else this.network.unlisten(report.containerPort);
            },
            containerStopped: (name) => this.network.clearContainer(name),
          },
          container,
          mounts,
        ),
      );
    }
    this.writeStatus();
    for (const runner of this.runners) runner.run();
  }

  /** Stops every container (grace period capped), writes the final status, removes the pod's folder. */
  async stop(): Promise<void> {
    clearTimeout(this.mountRetry);
    const graceSeconds = podSpecOf(this.pod).terminationGracePeriodSeconds ?? 30;
    const graceMs = Math.min(graceSeconds * 1000, this.ctx.maxGraceMs);
    await Promise.all(this.runners.map((r) => r.stop(graceMs)));
    if (this.active) this.writeStatus();
    this.active = false;
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Kills every process now and removes the pod's folder. */
  dispose(): void {
    this.active = false;
    clearTimeout(this.mountRetry);
    for (const runner of this.runners) runner.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
