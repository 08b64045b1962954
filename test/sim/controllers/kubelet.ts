/**
 * The simulated kubelet: for pods bound to a node it either hands the pod to the runtime (when the
 * runtime claims it) or plays the container lifecycle through statuses: ContainerCreating ->
 * Running -> Ready; images named "missing"/"does-not-exist" go ErrImagePull -> ImagePullBackOff;
 * env SIM_CRASH=1 crash-loops (exit 3), SIM_OOM=1 is OOMKilled (exit 137); pods that do not
 * restart complete (after SIM_RUN_SECONDS when set). It writes synthetic log lines, records events and finishes graceful deletion.
 */
import type { KubeObject } from '../../../src/kube/types';
import { timestamp } from '../defaults';
import type { StoreEvent } from '../store';
import { WorkQueue } from '../workqueue';
import { Controller, splitKey } from './controller';
import type { ControllerContext, ControllerTimings } from './index';
import { fakeDigest, qualifiedImage, setCondition, setReadiness, type ContainerStatus, type Dict } from './pod-status';
import { imageCannotBePulled } from '../images';

interface ContainerSpec {
  name: string;
  image: string;
  env?: { name: string; value?: string }[];
}

type Step = 'start' | 'tick' | 'pullBackOff' | 'restart' | 'complete' | 'finish';

function containers(pod: KubeObject): ContainerSpec[] {
  return ((pod.spec as { containers?: ContainerSpec[] } | undefined)?.containers ?? []);
}

function envFlag(c: ContainerSpec, name: string): boolean {
  return (c.env ?? []).some((e) => e.name === name && e.value === '1');
}

function restartPolicy(pod: KubeObject): string {
  return String((pod.spec as Dict | undefined)?.restartPolicy ?? 'Always');
}

function nodeOf(pod: KubeObject): string | undefined {
  return (pod.spec as { nodeName?: string } | undefined)?.nodeName;
}

export class Kubelet extends Controller {
  private readonly managed = new Set<string>();
  private readonly claimed = new Set<string>();
  private readonly terminating = new Set<string>();
  private readonly steps: WorkQueue;
  private nextIp = 2;

  constructor(ctx: ControllerContext, timings: ControllerTimings) {
    super(ctx, timings, 'kubelet');
    this.steps = this.disposables.add(new WorkQueue((key) => this.runStep(key), (err, key) => ctx.log(`kubelet: ${key}: ${String(err)}`)));
  }

  protected keysFor(event: StoreEvent): Iterable<string> {
    if (event.info.kind !== 'Pod') return [];
    return [`${event.object.metadata.namespace}/${event.object.metadata.name}`];
  }

  private pod(key: string): KubeObject | undefined {
    const [ns, name] = splitKey(key);
    return this.ctx.store.get(this.ctx.api.registry.kind('Pod'), ns, name);
  }

  private schedule(key: string, step: Step, delayMs: number): void {
    this.steps.add(`${step}|${key}`, delayMs);
  }

  protected reconcile(key: string): void {
    const pod = this.pod(key);
    const [ns, name] = splitKey(key);
    if (!pod) {
      if (this.claimed.has(key)) this.ctx.runtime.stop(ns, name);
      this.managed.delete(key);
      this.claimed.delete(key);
      this.terminating.delete(key);
      return;
    }
    if (!nodeOf(pod)) return;
    if (pod.metadata.deletionTimestamp) {
      if (this.terminating.has(key)) return;
      this.terminating.add(key);
      if (this.claimed.has(key)) this.ctx.runtime.stop(ns, name);
      for (const c of containers(pod)) this.event(pod, 'Normal', 'Killing', `Stopping container ${c.name}`);
      const grace = Number((pod.metadata as { deletionGracePeriodSeconds?: number }).deletionGracePeriodSeconds ?? 30);
      this.schedule(key, 'finish', grace === 0 ? 0 : this.timings.terminateMs);
      return;
    }
    if (this.managed.has(key) || this.claimed.has(key)) return;
    if (this.ctx.runtime.claims(pod)) {
      this.claimed.add(key);
      this.ctx.runtime.start(pod);
      return;
    }
    const status = (pod.status ?? {}) as Dict;
    if (status.containerStatuses || status.phase === 'Succeeded' || status.phase === 'Failed') return;
    this.managed.add(key);
    this.create(pod);
    this.schedule(key, 'start', this.timings.startMs);
  }

  private event(pod: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.events.record(pod, type, reason, message, { component: 'kubelet', host: nodeOf(pod) });
  }

  private log(pod: KubeObject, container: string, line: string): void {
    this.ctx.runtime.appendLog(pod.metadata.namespace ?? '', pod.metadata.name, container, line);
  }

  private hostIP(pod: KubeObject): string {
    const node = this.ctx.store.get(this.ctx.api.registry.kind('Node'), undefined, nodeOf(pod) ?? '');
    const addresses = ((node?.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses ?? []);
    return addresses.find((a) => a.type === 'InternalIP')?.address ?? '192.0.2.2';
  }

  private write(pod: KubeObject, mutate: (status: Dict) => void): void {
    this.ctx.api.updateStatus(this.ctx.api.registry.kind('Pod'), pod.metadata.namespace, pod.metadata.name, 'kubelet', (status) => {
      mutate(status);
      setReadiness(status);
      status.phase = this.phaseOf(pod, status);
    });
  }

  private phaseOf(pod: KubeObject, status: Dict): string {
    const statuses = (status.containerStatuses as ContainerStatus[] | undefined) ?? [];
    if (statuses.length > 0 && statuses.every((s) => s.state.terminated)) {
      return statuses.every((s) => (s.state.terminated as { exitCode: number }).exitCode === 0) ? 'Succeeded' : 'Failed';
    }
    if (statuses.some((s) => s.state.running || (s.restartCount > 0 && restartPolicy(pod) !== 'Never'))) return 'Running';
    return 'Pending';
  }

  private create(pod: KubeObject): void {
    const n = this.nextIp++;
    const podIP = `10.42.${Math.floor(n / 250)}.${(n % 250) + 1}`;
    const hostIP = this.hostIP(pod);
    this.write(pod, (status) => {
      status.hostIP = hostIP;
      status.podIP = podIP;
      status.podIPs = [{ ip: podIP }];
      status.startTime = timestamp();
      setCondition(status, 'Initialized', 'True');
      setCondition(status, 'PodScheduled', 'True');
      status.containerStatuses = containers(pod).map((c): ContainerStatus => ({
        image: c.image, imageID: '', lastState: {}, name: c.name, ready: false, restartCount: 0, started: false,
        state: { waiting: { reason: 'ContainerCreating' } },
      }));
    });
    for (const c of containers(pod)) this.event(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
  }

  private runStep(stepKey: string): void {
    const bar = stepKey.indexOf('|');
    const step = stepKey.slice(0, bar) as Step;
    const key = stepKey.slice(bar + 1);
    const pod = this.pod(key);
    if (!pod) return;
    if (step === 'finish') {
      this.ctx.api.finishDeletion(this.ctx.api.registry.kind('Pod'), pod.metadata.namespace, pod.metadata.name);
      return;
    }
    if (pod.metadata.deletionTimestamp) return;
    const specs = new Map(containers(pod).map((c) => [c.name, c]));
    const now = timestamp();
    const uid = pod.metadata.uid;
    const podRef = `${pod.metadata.name}_${pod.metadata.namespace}(${uid})`;
    let next: { step: Step; ms: number } | undefined;
    const later = (s: Step, ms: number) => {
      if (!next || ms < next.ms) next = { step: s, ms };
    };
    this.write(pod, (status) => {
      const statuses = ((status.containerStatuses as ContainerStatus[] | undefined) ?? []).map((s) => ({ ...s }));
      for (const s of statuses) {
        const spec = specs.get(s.name);
        if (!spec) continue;
        const waiting = s.state.waiting as { reason?: string } | undefined;
        const running = s.state.running !== undefined;
        if (step === 'start' && waiting?.reason === 'ContainerCreating') {
          if (imageCannotBePulled(spec.image)) {
            s.state = { waiting: { message: `rpc error: code = NotFound desc = failed to pull and unpack image "${qualifiedImage(spec.image)}": not found`, reason: 'ErrImagePull' } };
            this.event(pod, 'Warning', 'Failed', `Failed to pull image "${spec.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${qualifiedImage(spec.image)}": not found`);
            this.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull');
            later('pullBackOff', this.timings.startMs);
          } else {
            this.startContainer(pod, s, spec, now);
            later('tick', this.timings.readyMs);
          }
        } else if (step === 'pullBackOff' && waiting?.reason === 'ErrImagePull') {
          s.state = { waiting: { message: `Back-off pulling image "${spec.image}"`, reason: 'ImagePullBackOff' } };
          this.event(pod, 'Normal', 'BackOff', `Back-off pulling image "${spec.image}"`);
          this.event(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff');
        } else if (step === 'tick' && running) {
          const oom = envFlag(spec, 'SIM_OOM');
          if (oom || envFlag(spec, 'SIM_CRASH')) {
            this.log(pod, s.name, oom ? 'allocating buffers' : 'fatal: config missing');
            const terminated = { containerID: s.containerID, exitCode: oom ? 137 : 3, finishedAt: now, reason: oom ? 'OOMKilled' : 'Error', startedAt: (s.state.running as { startedAt: string }).startedAt };
            s.ready = false;
            s.started = false;
            if (restartPolicy(pod) === 'Never') s.state = { terminated };
            else {
              s.lastState = { terminated };
              s.restartCount += 1;
              const backoff = Math.min(10 * 2 ** (s.restartCount - 1), 300);
              s.state = { waiting: { message: `back-off ${backoff}s restarting failed container=${s.name} pod=${podRef}`, reason: 'CrashLoopBackOff' } };
              this.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${s.name} in pod ${podRef}`);
              later('restart', Math.min(this.timings.crashBackoffMs * 2 ** (s.restartCount - 1), this.timings.crashBackoffMs * 8));
            }
          } else {
            s.ready = true;
            if (restartPolicy(pod) !== 'Always') {
              const seconds = (spec.env ?? []).find((e) => e.name === 'SIM_RUN_SECONDS')?.value;
              later('complete', seconds ? Number(seconds) * 1000 : this.timings.jobRunMs);
            }
          }
        } else if (step === 'restart' && waiting?.reason === 'CrashLoopBackOff') {
          this.startContainer(pod, s, spec, now);
          later('tick', this.timings.readyMs);
        } else if (step === 'complete' && running) {
          this.log(pod, s.name, 'done');
          s.ready = false;
          s.started = false;
          s.state = { terminated: { containerID: s.containerID, exitCode: 0, finishedAt: now, reason: 'Completed', startedAt: (s.state.running as { startedAt: string }).startedAt } };
        }
      }
      status.containerStatuses = statuses;
    });
    const scheduled = next as { step: Step; ms: number } | undefined;
    if (scheduled) this.schedule(key, scheduled.step, scheduled.ms);
  }

  private startContainer(pod: KubeObject, s: ContainerStatus, spec: ContainerSpec, now: string): void {
    const id = fakeDigest(`${pod.metadata.uid}/${s.name}/${s.restartCount}`);
    s.containerID = `containerd://${id}`;
    this.ctx.runtime.beginLog(pod.metadata.namespace ?? '', pod.metadata.name, s.name, s.containerID);
    s.image = qualifiedImage(spec.image);
    s.imageID = `sha256:${fakeDigest(spec.image)}`;
    s.started = true;
    s.ready = false;
    s.state = { running: { startedAt: now } };
    if (s.restartCount === 0) this.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${spec.image}" in 412ms`);
    this.event(pod, 'Normal', 'Created', `Created container ${s.name}`);
    this.event(pod, 'Normal', 'Started', `Started container ${s.name}`);
    this.log(pod, s.name, `starting ${spec.image}`);
    this.log(pod, s.name, `container ${s.name} ready on node ${nodeOf(pod)}`);
  }
}
