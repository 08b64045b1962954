/**
 * One observed watch (context, kind, namespace) as the explorer sees it: the current objects and
 * the informer's state. Fed by InformerEvents from the shared WatchHub; owns its observation.
 */
import type { Disposable } from '../../lifecycle';
import type { ExplainedError } from '../../kube/errors';
import type { InformerEvent, InformerState, KubeObject, WatchKey } from '../../kube/types';

/** The part of WatchHub the explorer uses; structural, so tests can hand in a recorded hub. */
export interface WatchSource {
  observe<T extends KubeObject>(key: WatchKey, listener: (e: InformerEvent<T>) => void): Disposable;
}

export class WatchedKind implements Disposable {
  private objects = new Map<string, KubeObject>();
  private state: InformerState = { phase: 'listing' };
  private synced = false;
  private readonly observation: Disposable;

  constructor(source: WatchSource, readonly key: WatchKey, onChange: () => void) {
    this.observation = source.observe<KubeObject>(key, (e) => {
      switch (e.type) {
        case 'synced':
          this.objects = new Map(e.objects);
          this.synced = true;
          this.state = { phase: 'synced' };
          break;
        case 'added':
        case 'modified':
          this.objects.set(keyOf(e.object), e.object);
          break;
        case 'deleted':
          this.objects.delete(keyOf(e.object));
          break;
        case 'state':
          this.state = e.state;
          break;
      }
      onChange();
    });
  }

  get items(): ReadonlyMap<string, KubeObject> {
    return this.objects;
  }

  /** True once the first list arrived; stays true through later reconnects. */
  get hasSynced(): boolean {
    return this.synced;
  }

  get isListing(): boolean {
    return !this.synced && this.state.phase === 'listing';
  }

  /** The failure behind a retry in progress, if any. */
  get error(): ExplainedError | undefined {
    return this.state.phase === 'backoff' ? this.state.error : undefined;
  }

  dispose(): void {
    this.observation.dispose();
    this.objects.clear();
  }
}

function keyOf(o: KubeObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}
