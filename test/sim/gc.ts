/**
 * The garbage collector and namespace lifecycle: dependents of a deleted owner are deleted
 * (background) or released (orphan); an owner deleted in the foreground waits for its dependents;
 * a terminating namespace is emptied, then removed.
 */
import { DisposableStore, type Disposable } from '../../src/lifecycle';
import type { KubeObject } from '../../src/kube/types';
import type { ResourceApi } from './api';
import type { ResourceInfo } from './resources';
import type { ObjectStore, StoreEvent } from './store';
import { WorkQueue } from './workqueue';

function finalizers(object: KubeObject): string[] {
  return (object.metadata as { finalizers?: string[] }).finalizers ?? [];
}

function ignoreNotFound(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if ((err as { status?: { code?: number } }).status?.code !== 404) throw err;
  }
}

export class GarbageCollector implements Disposable {
  private readonly disposables = new DisposableStore();
  private readonly queue: WorkQueue;

  constructor(
    private readonly store: ObjectStore,
    private readonly api: ResourceApi,
    log: (message: string) => void,
    private readonly namespaceRecheckMs = 50,
  ) {
    this.queue = this.disposables.add(new WorkQueue((key) => this.process(key), (err, key) => log(`garbage collector: ${key}: ${String(err)}`)));
    this.disposables.add(store.onEvent((e) => this.observe(e)));
  }

  private ref(info: ResourceInfo, object: KubeObject): string {
    return JSON.stringify([info.kind, object.metadata.namespace ?? '', object.metadata.name, object.metadata.uid]);
  }

  private observe(event: StoreEvent): void {
    const { info, object } = event;
    if (event.type === 'DELETED') {
      this.queue.add(`orphans|${object.metadata.uid}`);
      for (const owner of object.metadata.ownerReferences ?? []) {
        const ownerInfo = this.api.registry.all().find((r) => r.kind === owner.kind);
        if (!ownerInfo) continue;
        const ns = ownerInfo.namespaced ? object.metadata.namespace : undefined;
        this.queue.add(`owner|${JSON.stringify([ownerInfo.kind, ns ?? '', owner.name, owner.uid])}`);
      }
      return;
    }
    if (object.metadata.deletionTimestamp) {
      if (info.kind === 'Namespace') this.queue.add(`namespace|${object.metadata.name}`);
      else if (finalizers(object).some((f) => f === 'foregroundDeletion' || f === 'orphan')) this.queue.add(`owner|${this.ref(info, object)}`);
    }
  }

  private process(key: string): void {
    const [what, rest] = [key.slice(0, key.indexOf('|')), key.slice(key.indexOf('|') + 1)];
    if (what === 'orphans') this.collectOrphans(rest);
    else if (what === 'owner') this.finishOwner(JSON.parse(rest) as [string, string, string, string]);
    else if (what === 'namespace') this.sweepNamespace(rest);
  }

  /** Dependents whose every owner is gone are deleted in the background. */
  private collectOrphans(ownerUid: string): void {
    for (const { info, object } of this.store.dependents(ownerUid)) {
      const alive = (object.metadata.ownerReferences ?? []).some((ref) => ref.uid !== ownerUid && this.ownerExists(ref.kind, object.metadata.namespace, ref.name, ref.uid));
      if (alive || object.metadata.deletionTimestamp) continue;
      ignoreNotFound(() => this.api.delete(info, object.metadata.namespace, object.metadata.name, { propagationPolicy: 'Background' }));
    }
  }

  private ownerExists(kind: string, namespace: string | undefined, name: string, uid: string): boolean {
    const info = this.api.registry.all().find((r) => r.kind === kind);
    if (!info) return false;
    return this.store.get(info, info.namespaced ? namespace : undefined, name)?.metadata.uid === uid;
  }

  /** Foreground: delete dependents, drop the finalizer when none is left. Orphan: release them. */
  private finishOwner([kind, namespace, name, uid]: [string, string, string, string]): void {
    const info = this.api.registry.kind(kind);
    const owner = this.store.get(info, namespace || undefined, name);
    if (!owner || owner.metadata.uid !== uid || !owner.metadata.deletionTimestamp) return;
    const dependents = this.store.dependents(uid);
    if (finalizers(owner).includes('orphan')) {
      for (const d of dependents) {
        this.api.mutate(d.info, d.object.metadata.namespace, d.object.metadata.name, 'kube-controller-manager', (next) => {
          next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
          if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
        });
      }
      this.api.removeFinalizer(info, owner, 'orphan');
      return;
    }
    if (!finalizers(owner).includes('foregroundDeletion')) return;
    if (dependents.length === 0) {
      this.api.removeFinalizer(info, owner, 'foregroundDeletion');
      return;
    }
    for (const d of dependents) {
      if (d.object.metadata.deletionTimestamp) continue;
      ignoreNotFound(() => this.api.delete(d.info, d.object.metadata.namespace, d.object.metadata.name, { propagationPolicy: 'Foreground' }));
    }
  }

  /** Deletes everything in a terminating namespace, then the namespace itself. */
  private sweepNamespace(name: string): void {
    const nsInfo = this.api.registry.kind('Namespace');
    const ns = this.store.get(nsInfo, undefined, name);
    if (!ns?.metadata.deletionTimestamp) return;
    let left = 0;
    for (const info of this.api.registry.all()) {
      if (!info.namespaced || info.virtual) continue;
      for (const object of this.store.list(info, name)) {
        left++;
        if (!object.metadata.deletionTimestamp) ignoreNotFound(() => this.api.delete(info, name, object.metadata.name, {}));
      }
    }
    if (left === 0) this.api.finishDeletion(nsInfo, undefined, name);
    else this.queue.add(`namespace|${name}`, this.namespaceRecheckMs);
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
