/**
 * Deployment -> ReplicaSet (pod-template-hash) -> Pods, with the status fields and conditions
 * clients read: replicas, updated/ready/available replicas, observedGeneration, Available and
 * Progressing.
 */
import type { KubeObject } from '../../../src/kube/types';
import { timestamp } from '../defaults';
import type { StoreEvent } from '../store';
import { Controller, controllerKey, splitKey } from './controller';
import type { ControllerContext, ControllerTimings } from './index';
import type { Dict } from './pod-status';
import { controllerRef, isActive, isControlledBy, isPodReady, podFromTemplate, templateHash, type PodTemplate } from './templates';

interface ReplicatedSpec {
  replicas?: number;
  selector?: { matchLabels?: Record<string, string> };
  template?: PodTemplate;
}

function specOf(object: KubeObject): ReplicatedSpec {
  return (object.spec ?? {}) as ReplicatedSpec;
}

function condition(type: string, status: 'True' | 'False', reason: string, message: string, previous?: Dict[]): Dict {
  const now = timestamp();
  const old = previous?.find((c) => c.type === type);
  const since = old && old.status === status ? String(old.lastTransitionTime) : now;
  return { lastTransitionTime: since, lastUpdateTime: old && old.reason === reason && old.status === status ? String(old.lastUpdateTime) : now, message, reason, status, type };
}

export class ReplicaSetController extends Controller {
  constructor(ctx: ControllerContext, timings: ControllerTimings) {
    super(ctx, timings, 'replicaset-controller');
  }

  protected keysFor(event: StoreEvent): Iterable<string> {
    if (event.info.kind === 'ReplicaSet') return [`${event.object.metadata.namespace}/${event.object.metadata.name}`];
    if (event.info.kind === 'Pod') {
      const key = controllerKey(event, 'ReplicaSet');
      return key ? [key] : [];
    }
    return [];
  }

  protected reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const { api, store } = this.ctx;
    const rsInfo = api.registry.kind('ReplicaSet');
    const podInfo = api.registry.kind('Pod');
    const rs = store.get(rsInfo, ns, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const spec = specOf(rs);
    const pods = store.list(podInfo, ns).filter((p) => isControlledBy(p, rs) && isActive(p));
    const want = spec.replicas ?? 1;
    const hash = rs.metadata.labels?.['pod-template-hash'];
    for (let i = pods.length; i < want; i++) {
      api.create(podInfo, ns, podFromTemplate(spec.template ?? {}, rs, { generateName: `${name}-` }, hash ? { 'pod-template-hash': hash } : {}), { fieldManager: 'kube-controller-manager' });
    }
    if (pods.length > want) {
      const victims = [...pods].sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b))).slice(0, pods.length - want);
      for (const p of victims) api.delete(podInfo, ns, p.metadata.name, {});
    }
    const current = store.list(podInfo, ns).filter((p) => isControlledBy(p, rs) && isActive(p));
    const ready = current.filter(isPodReady).length;
    api.updateStatus(rsInfo, ns, name, 'kube-controller-manager', (status) => {
      status.replicas = current.length;
      status.fullyLabeledReplicas = current.length;
      status.readyReplicas = ready;
      status.availableReplicas = ready;
      status.observedGeneration = (rs.metadata as { generation?: number }).generation ?? 1;
      for (const k of ['readyReplicas', 'availableReplicas', 'fullyLabeledReplicas'] as const) if (status[k] === 0) delete status[k];
    });
  }
}

export class DeploymentController extends Controller {
  constructor(ctx: ControllerContext, timings: ControllerTimings) {
    super(ctx, timings, 'deployment-controller');
  }

  protected keysFor(event: StoreEvent): Iterable<string> {
    if (event.info.kind === 'Deployment') return [`${event.object.metadata.namespace}/${event.object.metadata.name}`];
    if (event.info.kind === 'ReplicaSet') {
      const key = controllerKey(event, 'Deployment');
      return key ? [key] : [];
    }
    return [];
  }

  protected reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const { api, store } = this.ctx;
    const depInfo = api.registry.kind('Deployment');
    const rsInfo = api.registry.kind('ReplicaSet');
    const dep = store.get(depInfo, ns, name);
    if (!dep || dep.metadata.deletionTimestamp) return;
    const spec = specOf(dep);
    const want = spec.replicas ?? 1;
    const hash = templateHash(spec.template);
    const rsName = `${name}-${hash}`;
    const owned = store.list(rsInfo, ns).filter((rs) => isControlledBy(rs, dep));
    const revision = String(owned.length === 0 ? 1 : Math.max(...owned.map((rs) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0))) + (owned.some((rs) => rs.metadata.name === rsName) ? 0 : 1));
    let current = store.get(rsInfo, ns, rsName);
    if (!current) {
      const template = structuredClone(spec.template ?? {});
      template.metadata = { ...template.metadata, labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash } };
      current = api.create(rsInfo, ns, {
        apiVersion: 'apps/v1', kind: 'ReplicaSet',
        metadata: {
          name: rsName,
          labels: { ...(spec.template?.metadata?.labels ?? {}), 'pod-template-hash': hash },
          annotations: { 'deployment.kubernetes.io/desired-replicas': String(want), 'deployment.kubernetes.io/max-replicas': String(want + Math.ceil(want / 4)), 'deployment.kubernetes.io/revision': revision },
          ownerReferences: [controllerRef(dep)],
        },
        spec: { replicas: want, selector: { matchLabels: { ...(spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash } }, template },
      }, { fieldManager: 'kube-controller-manager' });
    } else if (specOf(current).replicas !== want) {
      api.mutate(rsInfo, ns, rsName, 'kube-controller-manager', (rs) => {
        (rs.spec as Dict).replicas = want;
        rs.metadata.annotations = { ...rs.metadata.annotations, 'deployment.kubernetes.io/desired-replicas': String(want) };
      });
    }
    for (const old of owned) {
      if (old.metadata.name !== rsName && specOf(old).replicas !== 0) {
        api.mutate(rsInfo, ns, old.metadata.name, 'kube-controller-manager', (rs) => {
          (rs.spec as Dict).replicas = 0;
        });
      }
    }
    if (dep.metadata.annotations?.['deployment.kubernetes.io/revision'] !== (current.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? revision)) {
      api.mutate(depInfo, ns, name, 'kube-controller-manager', (d) => {
        d.metadata.annotations = { ...d.metadata.annotations, 'deployment.kubernetes.io/revision': current?.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? revision };
      });
    }
    const all = store.list(rsInfo, ns).filter((rs) => isControlledBy(rs, dep));
    const sum = (field: string, list = all) => list.reduce((n, rs) => n + Number((rs.status as Dict | undefined)?.[field] ?? 0), 0);
    const fresh = all.filter((rs) => rs.metadata.name === rsName);
    const replicas = sum('replicas');
    const ready = sum('readyReplicas');
    const available = sum('availableReplicas');
    const updated = sum('replicas', fresh);
    api.updateStatus(depInfo, ns, name, 'kube-controller-manager', (status) => {
      const previous = status.conditions as Dict[] | undefined;
      const isAvailable = available >= want;
      const done = updated === want && available >= want && replicas === want;
      status.availableReplicas = available;
      status.conditions = [
        condition('Available', isAvailable ? 'True' : 'False', isAvailable ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', isAvailable ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.', previous),
        condition('Progressing', 'True', done ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated', done ? `ReplicaSet "${rsName}" has successfully progressed.` : `ReplicaSet "${rsName}" is progressing.`, previous),
      ];
      status.observedGeneration = (dep.metadata as { generation?: number }).generation ?? 1;
      status.readyReplicas = ready;
      status.replicas = replicas;
      status.updatedReplicas = updated;
      if (replicas - available > 0) status.unavailableReplicas = replicas - available;
      else delete status.unavailableReplicas;
      for (const k of ['availableReplicas', 'readyReplicas', 'replicas', 'updatedReplicas'] as const) if (status[k] === 0) delete status[k];
    });
  }
}
