/** StatefulSet (stable names `<set>-<ordinal>`) and DaemonSet (one pod per eligible node). */
import type { KubeObject } from '../../../src/kube/types';
import type { StoreEvent } from '../store';
import { Controller, controllerKey, splitKey } from './controller';
import type { ControllerContext, ControllerTimings } from './index';
import type { Dict } from './pod-status';
import { nodeFailures } from './scheduler';
import { isActive, isControlledBy, isPodReady, podFromTemplate, templateHash, type PodTemplate } from './templates';

interface SetSpec {
  replicas?: number;
  template?: PodTemplate;
}

abstract class SetController extends Controller {
  constructor(ctx: ControllerContext, timings: ControllerTimings, private readonly kind: 'StatefulSet' | 'DaemonSet') {
    super(ctx, timings, `${kind.toLowerCase()}-controller`);
  }

  protected keysFor(event: StoreEvent): Iterable<string> {
    if (event.info.kind === this.kind) return [`${event.object.metadata.namespace}/${event.object.metadata.name}`];
    if (event.info.kind === 'Pod') {
      const key = controllerKey(event, this.kind);
      return key ? [key] : [];
    }
    if (event.info.kind === 'Node' && this.kind === 'DaemonSet') {
      return this.ctx.store.list(this.ctx.api.registry.kind('DaemonSet')).map((d) => `${d.metadata.namespace}/${d.metadata.name}`);
    }
    return [];
  }

  protected reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const info = this.ctx.api.registry.kind(this.kind);
    const set = this.ctx.store.get(info, ns, name);
    if (!set || set.metadata.deletionTimestamp) return;
    const podInfo = this.ctx.api.registry.kind('Pod');
    const owned = () => this.ctx.store.list(podInfo, ns).filter((p) => isControlledBy(p, set) && isActive(p));
    this.converge(set, owned());
    const pods = owned();
    this.ctx.api.updateStatus(info, ns, name, 'kube-controller-manager', (status) => this.writeStatus(set, pods, status));
  }

  protected abstract converge(set: KubeObject, pods: KubeObject[]): void;

  protected abstract writeStatus(set: KubeObject, pods: KubeObject[], status: Dict): void;
}

export class StatefulSetController extends SetController {
  constructor(ctx: ControllerContext, timings: ControllerTimings) {
    super(ctx, timings, 'StatefulSet');
  }

  protected converge(set: KubeObject, pods: KubeObject[]): void {
    const spec = (set.spec ?? {}) as SetSpec;
    const want = spec.replicas ?? 1;
    const revision = `${set.metadata.name}-${templateHash(spec.template)}`;
    const podInfo = this.ctx.api.registry.kind('Pod');
    const names = new Set(pods.map((p) => p.metadata.name));
    for (let i = 0; i < want; i++) {
      const podName = `${set.metadata.name}-${i}`;
      if (names.has(podName) || this.ctx.store.get(podInfo, set.metadata.namespace, podName)) continue;
      this.ctx.api.create(podInfo, set.metadata.namespace, podFromTemplate(spec.template ?? {}, set, { name: podName }, {
        'controller-revision-hash': revision,
        'statefulset.kubernetes.io/pod-name': podName,
      }, { hostname: podName }), { fieldManager: 'kube-controller-manager' });
    }
    for (const p of pods) {
      const ordinal = Number(p.metadata.name.slice(set.metadata.name.length + 1));
      if (ordinal >= want) this.ctx.api.delete(podInfo, set.metadata.namespace, p.metadata.name, {});
    }
  }

  protected writeStatus(set: KubeObject, pods: KubeObject[], status: Dict): void {
    const ready = pods.filter(isPodReady).length;
    const revision = `${set.metadata.name}-${templateHash(((set.spec ?? {}) as SetSpec).template)}`;
    status.availableReplicas = ready;
    status.collisionCount = 0;
    status.currentReplicas = pods.length;
    status.currentRevision = revision;
    status.observedGeneration = (set.metadata as { generation?: number }).generation ?? 1;
    status.readyReplicas = ready;
    status.replicas = pods.length;
    status.updateRevision = revision;
    status.updatedReplicas = pods.length;
  }
}

export class DaemonSetController extends SetController {
  constructor(ctx: ControllerContext, timings: ControllerTimings) {
    super(ctx, timings, 'DaemonSet');
  }

  private eligible(set: KubeObject): string[] {
    const template = ((set.spec ?? {}) as SetSpec).template ?? {};
    const probe = { metadata: { name: 'probe', uid: '', resourceVersion: '' }, spec: template.spec } as KubeObject;
    return this.ctx.store.list(this.ctx.api.registry.kind('Node'))
      .filter((n) => nodeFailures(probe, n, new Map()).every((r) => r.startsWith('Insufficient')))
      .map((n) => n.metadata.name);
  }

  protected converge(set: KubeObject, pods: KubeObject[]): void {
    const template = ((set.spec ?? {}) as SetSpec).template ?? {};
    const podInfo = this.ctx.api.registry.kind('Pod');
    const nodes = this.eligible(set);
    const covered = new Set(pods.map((p) => (p.spec as { nodeName?: string }).nodeName));
    for (const node of nodes) {
      if (covered.has(node)) continue;
      this.ctx.api.create(podInfo, set.metadata.namespace, podFromTemplate(template, set, { generateName: `${set.metadata.name}-` }, {
        'controller-revision-hash': templateHash(template),
        'pod-template-generation': String((set.metadata as { generation?: number }).generation ?? 1),
      }, { nodeName: node }), { fieldManager: 'kube-controller-manager' });
    }
    for (const p of pods) {
      if (!nodes.includes(String((p.spec as { nodeName?: string }).nodeName))) this.ctx.api.delete(podInfo, set.metadata.namespace, p.metadata.name, {});
    }
  }

  protected writeStatus(set: KubeObject, pods: KubeObject[], status: Dict): void {
    const desired = this.eligible(set).length;
    const ready = pods.filter(isPodReady).length;
    status.currentNumberScheduled = pods.length;
    status.desiredNumberScheduled = desired;
    status.numberAvailable = ready;
    status.numberMisscheduled = 0;
    status.numberReady = ready;
    status.observedGeneration = (set.metadata as { generation?: number }).generation ?? 1;
    status.updatedNumberScheduled = pods.length;
    if (desired - ready > 0) status.numberUnavailable = desired - ready;
    else delete status.numberUnavailable;
  }
}
