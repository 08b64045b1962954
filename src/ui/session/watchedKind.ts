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
  /** The last failure, kept through the retry that follows it until a list succeeds. */
  private failure?: ExplainedError;
  private readonly observation: Disposable;

  constructor(source: WatchSource, readonly key: WatchKey, onChange: () => void) {
    this.observation = source.observe<KubeObject>(key, (e) => {
      switch (e.type) {
        case 'synced':
          this.objects = new Map(e.objects);
          this.synced = true;
          this.failure = undefined;
          this.state = { phase: 'synced' };
          break;
        case 'added':
        case 'modified':
          this.objects.set(keyOf(e.object), e.object);
          break;
        case 'deleted':
          this.objects.delete(keyOf(e.object));
          break;
        case 'state': {
          // Retries cycle listing -> backoff with the same failure; only what a row shows matters.
          const before = this.visibleState();
          this.state = e.state;
          if (e.state.phase === 'backoff') this.failure = e.state.error;
          if (e.state.phase === 'synced') this.failure = undefined;
          if (this.visibleState() === before) return;
          break;
        }
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

  /** On its first list, with no failure to show instead. */
  get isListing(): boolean {
    return !this.synced && this.state.phase === 'listing' && !this.failure;
  }

  /** The failure behind the retries in progress, if any (kept while a retry runs). */
  get error(): ExplainedError | undefined {
    return this.state.phase === 'stopped' ? undefined : this.failure;
  }

  private visibleState(): string {
    return `${this.isListing}|${this.error?.message ?? ''}`;
  }

  dispose(): void {
    this.observation.dispose();
    this.objects.clear();
  }
}

function keyOf(o: KubeObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}
