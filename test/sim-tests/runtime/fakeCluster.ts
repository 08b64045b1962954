/**
 * An in-memory SimCluster for testing the pod runtime without the API server: objects by kind,
 * status updates with resourceVersion bumps, change events, and recorded kubelet events.
 */
import { randomUUID } from 'node:crypto';
import { Emitter, type Disposable } from '../../../src/lifecycle';
import type { KubeObject } from '../../../src/kube/types';
import type { ChangeEvent, SimCluster } from '../../sim/contracts';

export interface RecordedEvent {
  involved: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export class FakeCluster implements SimCluster, Disposable {
  private readonly objects = new Map<string, KubeObject>();
  private readonly changes = new Emitter<ChangeEvent>();
  private version = 1;
  readonly events: RecordedEvent[] = [];

  private static key(kind: string, namespace: string, name: string): string {
    return `${kind}/${namespace}/${name}`;
  }

  /** Stores an object (kind from `kind`), filling uid and resourceVersion. */
  add<T extends KubeObject>(object: T): T {
    const kind = object.kind ?? 'Unknown';
    const stored = structuredClone(object);
    stored.metadata.uid ||= randomUUID();
    stored.metadata.namespace ??= 'default';
    stored.metadata.resourceVersion = String(++this.version);
    const key = FakeCluster.key(kind, stored.metadata.namespace, stored.metadata.name);
    const existed = this.objects.has(key);
    this.objects.set(key, stored);
    this.changes.fire({ type: existed ? 'MODIFIED' : 'ADDED', kind, object: stored });
    return stored;
  }

  delete(kind: string, namespace: string, name: string): void {
    const key = FakeCluster.key(kind, namespace, name);
    const object = this.objects.get(key);
    if (!object) return;
    this.objects.delete(key);
    this.changes.fire({ type: 'DELETED', kind, object });
  }

  get(kind: string, namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(FakeCluster.key(kind, namespace, name));
  }

  list(kind: string, namespace?: string): KubeObject[] {
    return [...this.objects.values()].filter(
      (o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace),
    );
  }

  onChange(listener: (event: ChangeEvent) => void): Disposable {
    return this.changes.event(listener);
  }

  updateStatus(kind: string, namespace: string, name: string, mutate: (status: Record<string, unknown>) => void): void {
    const object = this.get(kind, namespace, name);
    if (!object) throw new Error(`${kind} ${namespace}/${name} not found`);
    const status = structuredClone((object.status ?? {}) as Record<string, unknown>);
    mutate(status);
    const next = { ...object, status, metadata: { ...object.metadata, resourceVersion: String(++this.version) } };
    this.objects.set(FakeCluster.key(kind, namespace, name), next);
    this.changes.fire({ type: 'MODIFIED', kind, object: next });
  }

  recordEvent(involved: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.events.push({ involved: `${involved.metadata.namespace}/${involved.metadata.name}`, type, reason, message });
  }

  /** Resolves with the object once `test` holds for it, failing after `timeoutMs`. */
  waitFor(kind: string, namespace: string, name: string, test: (o: KubeObject) => boolean, timeoutMs = 10_000): Promise<KubeObject> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const object = this.get(kind, namespace, name);
        if (object && test(object)) {
          clearTimeout(timer);
          subscription.dispose();
          resolve(object);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${kind} ${namespace}/${name}: ${JSON.stringify(this.get(kind, namespace, name)?.status)}`));
      }, timeoutMs);
      const subscription = this.onChange(() => void check());
      check();
    });
  }

  dispose(): void {
    this.changes.dispose();
  }
}
