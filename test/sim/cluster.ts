/** The SimCluster seam (contracts.ts) over the store: what the pod runtime may see and do. */
import type { Disposable } from '../../src/lifecycle';
import type { KubeObject } from '../../src/kube/types';
import type { ResourceApi } from './api';
import type { ChangeEvent, SimCluster } from './contracts';
import type { EventRecorder } from './events';
import type { ObjectStore } from './store';

export class ClusterView implements SimCluster {
  constructor(
    private readonly store: ObjectStore,
    private readonly api: ResourceApi,
    private readonly events: EventRecorder,
  ) {}

  /** Stored objects are shared, never mutated: treat what this returns as read-only. */
  get(kind: string, namespace: string, name: string): KubeObject | undefined {
    return this.store.get(this.api.registry.kind(kind), namespace || undefined, name);
  }

  list(kind: string, namespace?: string): KubeObject[] {
    return this.store.list(this.api.registry.kind(kind), namespace);
  }

  onChange(listener: (event: ChangeEvent) => void): Disposable {
    return this.store.onEvent((e) => listener({ type: e.type, kind: e.info.kind, object: e.object }));
  }

  updateStatus(kind: string, namespace: string, name: string, mutate: (status: Record<string, unknown>) => void): void {
    this.api.updateStatus(this.api.registry.kind(kind), namespace || undefined, name, 'kubelet', (status) => mutate(status));
  }

  recordEvent(involved: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const node = (involved.spec as { nodeName?: string } | undefined)?.nodeName;
    this.events.record(involved, type, reason, message, { component: 'kubelet', host: node });
  }
}
