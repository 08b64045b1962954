/**
 * One shared Informer per (context, kind, namespace). The first observer starts it, a late
 * observer gets 'synced' with the current map right away (and the backoff state if the informer
 * is retrying), and the last one to leave stops it
 * after a short linger (so switching views back and forth does not relist).
 */
import { DisposableStore, toDisposable, type Disposable } from '../lifecycle';
import type { KubeClient } from './api';
import { ExplainedError } from './errors';
import { kinds, type KindInfo } from './kinds';
import { silentLogger, type Logger } from './logger';
import type { InformerEvent, KubeObject, WatchKey } from './types';
import { Informer, type InformerOptions } from './watch';

export interface WatchSubscription<T extends KubeObject> extends Disposable {
  readonly informer: Informer<T>;
}

export interface WatchHubOptions {
  /** How long an informer nobody observes keeps running (default 30 s). */
  lingerMs?: number;
  /** Options for every informer the hub creates (tests shorten timeouts here). */
  informer?: Omit<InformerOptions<KubeObject>, 'logger'>;
}

interface Entry {
  informer: Informer<KubeObject>;
  observers: number;
  linger?: NodeJS.Timeout;
}

export function watchKeyString(key: WatchKey): string {
  return JSON.stringify(key.metadataOnly ? [key.context, key.kind, key.namespace, 'metadata'] : [key.context, key.kind, key.namespace]);
}

function kindInfo(kind: string): KindInfo {
  const info = (kinds as Record<string, KindInfo | undefined>)[kind];
  if (!info) {
    throw new ExplainedError({
      reason: 'Unknown',
      what: `Watch ${kind}`,
      why: `"${kind}" is not a kind Tether knows how to watch`,
      remedy: `Use one of: ${Object.keys(kinds).join(', ')}`,
    });
  }
  return info;
}

export class WatchHub implements Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly lingerMs: number;
  private disposed = false;

  constructor(
    private readonly clientFor: (context: string) => KubeClient,
    private readonly logger: Logger = silentLogger,
    private readonly options: WatchHubOptions = {},
  ) {
    this.lingerMs = options.lingerMs ?? 30_000;
  }

  /** Informers currently alive (observed or lingering). */
  get size(): number {
    return this.entries.size;
  }

  observe<T extends KubeObject>(key: WatchKey, listener: (e: InformerEvent<T>) => void): WatchSubscription<T> {
    if (this.disposed) throw new Error('WatchHub is disposed');
    const id = watchKeyString(key);
    let entry = this.entries.get(id);
    if (!entry) {
      const informer = new Informer<KubeObject>(this.clientFor(key.context), kindInfo(key.kind), key.namespace, {
        ...this.options.informer,
        ...(key.metadataOnly ? { metadataOnly: true } : {}),
        logger: this.logger,
      });
      entry = { informer, observers: 0 };
      this.entries.set(id, entry);
      this.logger.debug(`Watching ${key.kind}${key.metadataOnly ? ' names' : ''} in ${key.namespace || 'all namespaces'} of ${key.context}`);
    }
    const current = entry;
    if (current.linger) {
      clearTimeout(current.linger);
      current.linger = undefined;
    }
    current.observers += 1;
    const informer = current.informer as unknown as Informer<T>;
    const store = new DisposableStore();
    store.add(informer.onEvent(listener));
    // A late observer catches up: the current map if there is one, and a backoff in progress.
    if (informer.synced || informer.state.phase === 'backoff') {
      queueMicrotask(() => {
        if (store.isDisposed) return;
        if (informer.synced) listener({ type: 'synced', objects: informer.objects });
        if (informer.state.phase === 'backoff') listener({ type: 'state', state: informer.state });
      });
    }
    informer.start();
    store.add(toDisposable(() => this.release(id, current)));
    return { informer, dispose: () => store.dispose() };
  }

  private release(id: string, entry: Entry): void {
    entry.observers -= 1;
    if (entry.observers > 0 || this.entries.get(id) !== entry) return;
    const stop = () => {
      if (entry.observers > 0 || this.entries.get(id) !== entry) return;
      this.entries.delete(id);
      entry.informer.dispose();
    };
    if (this.lingerMs <= 0) stop();
    else entry.linger = setTimeout(stop, this.lingerMs);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const entry of this.entries.values()) {
      if (entry.linger) clearTimeout(entry.linger);
      entry.informer.dispose();
    }
    this.entries.clear();
  }
}
