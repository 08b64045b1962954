/**
 * The kubelet's loop for one container of a process pod: build its environment, start it, record
 * its state, restart it by the pod's restart policy with CrashLoopBackOff backoff, stop it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { posix } from 'node:path';
import type { Disposable } from '../../../src/lifecycle';
import type { KubeObject } from '../../../src/kube/types';
import type { SimCluster } from '../contracts';
import { ContainerProcess, type ExitInfo } from './containerProcess';
import { ContainerConfigError, containerEnvironment, expandVars } from './environment';
import type { ContainerRecord, TerminatedState } from './kubeletStatus';
import type { LogInstance, LogStore } from './logStore';
import { preloadEnv, type MountSettings, type NetnsReport } from './preloadProtocol';
import { argvOf, scriptIndex, type ContainerSpec, type RestartPolicy } from './podSpec';
import type { MountTable } from './volumes';

export interface RestartBackoff {
  baseMs: number;
  maxMs: number;
  /** A run that lasted this long resets the backoff. */
  resetAfterMs: number;
}

/** What a container runner needs from its pod. */
export interface ContainerHost {
  cluster: SimCluster;
  logs: LogStore;
  backoff: RestartBackoff;
  restartPolicy: RestartPolicy;
  /** CommonJS preloads for every container process. */
  preloads: string[];
  /** Pod-wide preload settings: dial proxy, pod identity, passthrough addresses. */
  podPreloadEnv: Record<string, string>;
  /** Variables every container gets before its own env (KUBERNETES_SERVICE_HOST and friends). */
  serviceEnv: Record<string, string>;
  /** The pod's private host folder. */
  podDir: string;
  /** The pod as stored now (env fieldRefs read it). */
  currentPod(): KubeObject;
  /** "name_namespace(uid)", as kubelet messages name a pod. */
  podRef: string;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** The record changed: write the pod status. */
  changed(): void;
  report(container: string, report: NetnsReport): void;
  containerStopped(container: string): void;
}

export class ContainerRunner implements Disposable {
  readonly record: ContainerRecord;
  private process: ContainerProcess | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private backoffStep = 0;

  constructor(
    private readonly host: ContainerHost,
    private readonly spec: ContainerSpec,
    private readonly mounts: MountTable,
  ) {
    this.record = {
      name: spec.name,
      image: spec.image ?? '',
      containerID: '',
      state: { kind: 'waiting', reason: 'ContainerCreating' },
      restartCount: 0,
      ready: false,
      final: false,
    };
  }

  get pid(): number | undefined {
    return this.process?.isRunning ? this.process.pid : undefined;
  }

  private get namespace(): string {
    return this.host.currentPod().metadata.namespace ?? 'default';
  }

  run(): void {
    if (this.stopped) return;
    const pod = this.host.currentPod();
    let env: Record<string, string>;
    try {
      env = { ...this.host.serviceEnv, ...containerEnvironment(this.host.cluster, pod, this.spec) };
    } catch (err) {
      if (!(err instanceof ContainerConfigError)) throw err;
      this.record.state = { kind: 'waiting', reason: 'CreateContainerConfigError', message: err.message };
      this.host.event('Warning', 'Failed', `Error: ${err.message}`);
      this.host.changed();
      this.timer = setTimeout(() => this.run(), this.host.backoff.baseMs);
      return;
    }
    this.host.event('Normal', 'Pulled', `Container image "${this.record.image}" already present on machine`);
    this.host.event('Normal', 'Created', `Created container ${this.spec.name}`);
    this.record.containerID = `sim://${randomBytes(32).toString('hex')}`;
    const log = this.host.logs.begin(this.namespace, pod.metadata.name, this.spec.name, this.record.containerID);
    const process = this.launch(pod, env, log);
    this.process = process;
    this.record.state = { kind: 'running', startedAt: process.startedAt };
    this.record.ready = (this.spec.ports ?? []).length === 0;
    this.host.event('Normal', 'Started', `Started container ${this.spec.name}`);
    this.host.changed();
    void process.exited.then((info) => {
      log.end();
      this.exited(info);
    });
  }

  private launch(pod: KubeObject, env: Record<string, string>, log: LogInstance): ContainerProcess {
    const argv = argvOf(this.spec).map((arg) => expandVars(arg, env));
    const script = scriptIndex(argv);
    const workingDir = this.spec.workingDir ?? '/';
    const args = argv.slice(1).map((arg, i) => (i + 1 === script ? this.mounts.hostPath(posix.resolve(workingDir, arg)) : arg));
    const cwd = this.mounts.hostPath(workingDir);
    mkdirSync(cwd, { recursive: true });
    const mountSettings: MountSettings = { root: this.host.podDir, mounts: this.mounts.pairs() };
    const self: ContainerProcess = new ContainerProcess(
      {
        args,
        cwd,
        env,
        preloads: this.host.preloads,
        preloadEnv: { ...this.host.podPreloadEnv, [preloadEnv.mounts]: JSON.stringify(mountSettings) },
        pod: pod.metadata.name,
      },
      log,
      (report) => {
        this.host.report(this.spec.name, report);
        if (report.type === 'listen' && !this.record.ready && this.process === self) {
          this.record.ready = true;
          this.host.changed();
        }
      },
    );
    return self;
  }

  private exited(info: ExitInfo): void {
    this.host.containerStopped(this.spec.name);
    const terminated: TerminatedState = {
      exitCode: info.exitCode,
      reason: info.exitCode === 0 ? 'Completed' : info.error ? 'StartError' : 'Error',
      ...(info.error ? { message: info.error } : {}),
      ...(info.signal ? { signal: info.exitCode - 128 } : {}),
      startedAt: info.startedAt,
      finishedAt: info.finishedAt,
      containerID: this.record.containerID,
    };
    this.record.ready = false;
    const policy = this.host.restartPolicy;
    const willRestart = !this.stopped && (policy === 'Always' || (policy === 'OnFailure' && info.exitCode !== 0));
    if (!willRestart) {
      this.record.state = { kind: 'terminated', ...terminated };
      this.record.final = true;
      this.host.changed();
      return;
    }
    this.record.lastTerminated = terminated;
    const ranMs = info.finishedAt.getTime() - info.startedAt.getTime();
    if (ranMs >= this.host.backoff.resetAfterMs) this.backoffStep = 0;
    // Like the kubelet: the first restart is immediate, then the back-off doubles up to its cap.
    const step = this.backoffStep++;
    const delay = step === 0 ? 0 : Math.min(this.host.backoff.baseMs * 2 ** (step - 1), this.host.backoff.maxMs);
    const restart = () => {
      this.record.restartCount++;
      this.run();
    };
    if (delay === 0) {
      this.timer = setTimeout(restart, 0);
      return;
    }
    const seconds = Math.max(1, Math.round(delay / 1000));
    this.record.state = {
      kind: 'waiting',
      reason: 'CrashLoopBackOff',
      message: `back-off ${seconds}s restarting failed container=${this.spec.name} pod=${this.host.podRef}`,
    };
    this.host.event('Warning', 'BackOff', `Back-off restarting failed container ${this.spec.name} in pod ${this.host.podRef}`);
    this.host.changed();
    this.timer = setTimeout(restart, delay);
  }

  /** Stop for good: SIGTERM, SIGKILL after graceMs. Resolves when the process is gone. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const process = this.process;
    if (process?.isRunning) await process.terminate(graceMs);
    else if (this.record.lastTerminated && this.record.state.kind !== 'terminated') {
      // Stopped between runs (back-off or an immediate restart): the last run is the final state.
      this.record.state = { kind: 'terminated', ...this.record.lastTerminated };
      this.record.ready = false;
      this.record.final = true;
    }
  }

  dispose(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.process?.dispose();
  }
}
