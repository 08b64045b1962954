/** Job -> pods until `completions` succeed (Complete condition) or `backoffLimit` failures (Failed). */
import type { KubeObject } from '../../../src/kube/types';
import { timestamp } from '../defaults';
import type { StoreEvent } from '../store';
import { Controller, controllerKey, splitKey } from './controller';
import type { ControllerContext, ControllerTimings } from './index';
import type { Dict } from './pod-status';
import { isControlledBy, isPodReady, podFromTemplate, type PodTemplate } from './templates';

interface JobSpec {
  parallelism?: number;
  completions?: number;
  backoffLimit?: number;
  suspend?: boolean;
  template?: PodTemplate;
}

function phase(pod: KubeObject): string | undefined {
  return (pod.status as { phase?: string } | undefined)?.phase;
}

export class JobController extends Controller {
  constructor(ctx: ControllerContext, timings: ControllerTimings) {
    super(ctx, timings, 'job-controller');
  }

  protected keysFor(event: StoreEvent): Iterable<string> {
    if (event.info.kind === 'Job') return [`${event.object.metadata.namespace}/${event.object.metadata.name}`];
    if (event.info.kind === 'Pod') {
      const key = controllerKey(event, 'Job');
      return key ? [key] : [];
    }
    return [];
  }

  protected reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const { api, store } = this.ctx;
    const jobInfo = api.registry.kind('Job');
    const podInfo = api.registry.kind('Pod');
    const job = store.get(jobInfo, ns, name);
    if (!job || job.metadata.deletionTimestamp) return;
    const spec = (job.spec ?? {}) as JobSpec;
    const status = (job.status ?? {}) as Dict;
    const finished = ((status.conditions as { type: string; status: string }[] | undefined) ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    const pods = store.list(podInfo, ns).filter((p) => isControlledBy(p, job));
    const succeeded = pods.filter((p) => phase(p) === 'Succeeded').length;
    const failed = pods.filter((p) => phase(p) === 'Failed').length;
    const active = pods.filter((p) => !p.metadata.deletionTimestamp && phase(p) !== 'Succeeded' && phase(p) !== 'Failed');
    const completions = spec.completions ?? 1;
    const backoffLimit = spec.backoffLimit ?? 6;
    const done = succeeded >= completions;
    const failedOut = failed > backoffLimit;
    if (!finished && !done && !failedOut && !spec.suspend) {
      const want = Math.min(spec.parallelism ?? 1, completions - succeeded);
      for (let i = active.length; i < want; i++) {
        api.create(podInfo, ns, podFromTemplate(spec.template ?? {}, job, { generateName: `${name}-` }, { 'controller-uid': job.metadata.uid, 'job-name': name }), { fieldManager: 'kube-controller-manager' });
      }
    }
    if (failedOut && !finished) for (const p of active) api.delete(podInfo, ns, p.metadata.name, {});
    const nowActive = store.list(podInfo, ns).filter((p) => isControlledBy(p, job) && !p.metadata.deletionTimestamp && phase(p) !== 'Succeeded' && phase(p) !== 'Failed');
    api.updateStatus(jobInfo, ns, name, 'kube-controller-manager', (s) => {
      const now = timestamp();
      s.startTime ??= now;
      if (nowActive.length > 0) s.active = nowActive.length;
      else delete s.active;
      s.ready = nowActive.filter(isPodReady).length;
      if (succeeded > 0) s.succeeded = succeeded;
      if (failed > 0) s.failed = failed;
      s.uncountedTerminatedPods = {};
      if (!finished && done) {
        s.completionTime = now;
        s.conditions = [{ lastProbeTime: now, lastTransitionTime: now, status: 'True', type: 'Complete' }];
      } else if (!finished && failedOut) {
        s.conditions = [{ lastProbeTime: now, lastTransitionTime: now, message: 'Job has reached the specified backoff limit', reason: 'BackoffLimitExceeded', status: 'True', type: 'Failed' }];
      }
    });
  }
}
