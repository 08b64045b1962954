/** The shape every simulated controller shares: store events -> keys -> delayed, deduplicated reconciles. */
import { DisposableStore, type Disposable } from '../../../src/lifecycle';
import type { StoreEvent } from '../store';
import { WorkQueue } from '../workqueue';
import type { ControllerContext, ControllerTimings } from './index';

export abstract class Controller implements Disposable {
  protected readonly disposables = new DisposableStore();
  protected readonly queue: WorkQueue;

  constructor(
    protected readonly ctx: ControllerContext,
    protected readonly timings: ControllerTimings,
    name: string,
  ) {
    this.queue = this.disposables.add(new WorkQueue((key) => this.reconcile(key), (err, key) => ctx.log(`${name}: ${key}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)));
    this.disposables.add(ctx.store.onEvent((event) => {
      for (const key of this.keysFor(event)) this.queue.add(key, this.timings.reconcileMs);
    }));
  }

  /** Keys to reconcile because of a change. */
  protected abstract keysFor(event: StoreEvent): Iterable<string>;

  protected abstract reconcile(key: string): void;

  dispose(): void {
    this.disposables.dispose();
  }
}

/** "namespace/name" of the controlling owner of `kind`, if any. */
export function controllerKey(event: StoreEvent, kind: string): string | undefined {
  const ref = event.object.metadata.ownerReferences?.find((r) => r.controller && r.kind === kind);
  return ref ? `${event.object.metadata.namespace}/${ref.name}` : undefined;
}

export function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}
