/**
 * WATCH: chunked JSON lines of {type, object}. Starts with synthetic ADDED events (no
 * resourceVersion or "0") or replays history after a resourceVersion (one ERROR 410 event when it
 * is compacted), applies selectors to every event (an object leaving the selection is DELETED for
 * that watcher, one entering it is ADDED), sends BOOKMARKs when asked and ends at `timeoutSeconds`.
 */
import type { ServerResponse } from 'node:http';
import type { Disposable } from '../../src/lifecycle';
import type { KubeObject } from '../../src/kube/types';
import type { ResourceInfo } from './resources';
import { projectWatchObject, type Projection } from './negotiate';
import { matches, type ObjectFilter } from './selectors';
import { expired } from './status';
import type { ObjectStore, StoreEvent } from './store';

export interface WatchRequest {
  info: ResourceInfo;
  namespace?: string;
  filter: ObjectFilter;
  resourceVersion?: string;
  allowBookmarks: boolean;
  timeoutSeconds?: number;
  /** Fault injection: answer with a 410 ERROR event whatever the resourceVersion. */
  forceExpired?: boolean;
  /** The Accept header's projection (metadata only), applied to every event's object. */
  projection?: Projection;
}

class Watcher {
  private timers: NodeJS.Timeout[] = [];
  closed = false;

  constructor(
    readonly request: WatchRequest,
    private readonly res: ServerResponse,
    private readonly onClose: (w: Watcher) => void,
  ) {}

  private inScope(object: KubeObject): boolean {
    const ns = this.request.namespace;
    if (ns && this.request.info.namespaced && object.metadata.namespace !== ns) return false;
    return matches(this.request.filter, object);
  }

  write(line: string): void {
    if (!this.closed) this.res.write(line);
  }

  deliver(event: StoreEvent): void {
    const now = this.inScope(event.object);
    if (event.type === 'MODIFIED' && event.previous) {
      const before = this.inScope(event.previous);
      if (!before && !now) return;
      if (before !== now) {
        this.write(this.line(now ? 'ADDED' : 'DELETED', event.object));
        return;
      }
    } else if (!now) return;
    if (this.request.projection) {
      this.write(this.line(event.type, event.object));
      return;
    }
    event.line ??= `${JSON.stringify({ type: event.type, object: event.object })}\n`;
    this.write(event.line);
  }

  private line(type: string, object: KubeObject): string {
    return `${JSON.stringify({ type, object: projectWatchObject(object, this.request.projection) })}\n`;
  }

  bookmark(resourceVersion: number): void {
    const { info } = this.request;
    this.write(`${JSON.stringify({ type: 'BOOKMARK', object: { kind: info.kind, apiVersion: info.apiVersion, metadata: { resourceVersion: String(resourceVersion), creationTimestamp: null } } })}\n`);
  }

  every(ms: number, fn: () => void): void {
    this.timers.push(setInterval(fn, ms));
  }

  after(ms: number, fn: () => void): void {
    this.timers.push(setTimeout(fn, ms));
  }

  /** Ends the response cleanly (timeout, 410) or cuts the connection (fault injection). */
  close(abrupt: boolean): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    if (abrupt) this.res.destroy();
    else this.res.end();
    this.onClose(this);
  }
}

export class WatchHub implements Disposable {
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly subscription: Disposable;

  constructor(
    private readonly store: ObjectStore,
    private readonly bookmarkIntervalMs: number,
  ) {
    this.subscription = store.onEvent((event) => {
      const set = this.watchers.get(event.info.kind);
      if (set) for (const w of set) w.deliver(event);
    });
  }

  get openWatches(): number {
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }

  serve(request: WatchRequest, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    const watcher = new Watcher(request, res, (w) => this.watchers.get(request.info.kind)?.delete(w));
    res.on('close', () => watcher.close(false));
    res.on('error', () => watcher.close(true));
    const rv = request.resourceVersion;
    if (request.forceExpired || (rv && rv !== '0' && this.store.eventsSince(request.info, Number(rv)) === 'expired')) {
      const dropped = this.store.oldestResumable(request.info);
      const oldest = dropped > 0 ? dropped + 1 : this.store.resourceVersion;
      watcher.write(`${JSON.stringify({ type: 'ERROR', object: expired(`too old resource version: ${rv ?? 0} (${oldest})`) })}\n`);
      watcher.close(false);
      return;
    }
    let set = this.watchers.get(request.info.kind);
    if (!set) {
      set = new Set();
      this.watchers.set(request.info.kind, set);
    }
    set.add(watcher);
    if (!rv || rv === '0') {
      for (const object of this.store.iterate(request.info, request.info.namespaced ? request.namespace : undefined)) {
        watcher.deliver({ type: 'ADDED', info: request.info, object, rv: 0 });
      }
    } else {
      const events = this.store.eventsSince(request.info, Number(rv));
      if (events !== 'expired') for (const event of events) watcher.deliver(event);
    }
    if (request.allowBookmarks) watcher.every(this.bookmarkIntervalMs, () => watcher.bookmark(this.store.resourceVersion));
    if (request.timeoutSeconds && request.timeoutSeconds > 0) watcher.after(request.timeoutSeconds * 1000, () => watcher.close(false));
  }

  /** Fault injection: cut every open watch connection. */
  dropAll(): void {
    for (const set of this.watchers.values()) for (const w of [...set]) w.close(true);
  }

  dispose(): void {
    this.subscription.dispose();
    for (const set of this.watchers.values()) for (const w of [...set]) w.close(true);
    this.watchers.clear();
  }
}
