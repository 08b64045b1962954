/**
 * Our informer: a paginated list, then a watch that resumes from the last resourceVersion it saw
 * (events and bookmarks), with client-go's semantics and none of client-node's ListWatch gaps.
 *
 * - list in pages of 500 -> 'synced' with the whole map -> watch with allowWatchBookmarks and a
 *   timeoutSeconds jittered in [300, 600];
 * - a watch that ends (timeout, dropped connection) resumes from the last resourceVersion without
 *   a relist; 410 Gone (HTTP or an ERROR event) relists and emits 'synced' with the new map;
 * - failures back off 0.8 s -> 30 s with jitter (state 'backoff' carries the explanation); watches
 *   that end too quickly and back-to-back 410s back off too, so nothing ever spins;
 * - dispose aborts the request in flight.
 */
import type { IncomingMessage } from 'node:http';
import { Emitter, type Disposable } from '../lifecycle';
import { describeTarget, metadataAccept, metadataListAccept, type KubeClient } from './api';
import { Backoff, type BackoffOptions } from './backoff';
import { sleep, systemClock, type Clock } from './clock';
import { ExplainedError, isCancellation } from './errors';
import { explainResponse, explainTransportError } from './explain';
import { resourcePath, type KindInfo } from './kinds';
import { LineSplitter } from './lines';
import { silentLogger, type Logger } from './logger';
import { nameOnly, slim } from './slim';
import { objectKey, type InformerEvent, type InformerState, type KubeObject } from './types';

export interface InformerOptions<T extends KubeObject> {
  /** Projection applied to every object before it is kept (default: `slim`). */
  project?: (raw: KubeObject) => T;
  /**
   * Ask the server for metadata only (PartialObjectMetadata) and keep names alone (`nameOnly`,
   * whatever `project` says): for kinds whose data must never be read, such as Secrets.
   */
  metadataOnly?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  logger?: Logger;
  clock?: Clock;
  backoff?: Partial<BackoffOptions>;
  /** Seconds the server should keep each watch open (default: random in [300, 600]). */
  watchTimeoutSeconds?: () => number;
  /** A watch that ends sooner than this without error still waits a backoff step (default 1 s). */
  minWatchMs?: number;
  pageSize?: number;
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
}

class GoneError extends Error {}

/** The server's 410 Gone as the GoneError the run loop answers with a fresh list. */
async function goneAsRelist<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (err) {
    if (err instanceof ExplainedError && err.reason === 'Gone') throw new GoneError(err.message);
    throw err;
  }
}

export class Informer<T extends KubeObject> implements Disposable {
  private readonly emitter = new Emitter<InformerEvent<T>>();
  readonly onEvent = this.emitter.event;
  private store = new Map<string, T>();
  private current: InformerState = { phase: 'stopped' };
  private hasSynced = false;
  private resourceVersion = '';
  private started = false;
  private disposed = false;
  private readonly abort = new AbortController();
  private readonly backoff: Backoff;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly project: (raw: KubeObject) => T;
  private readonly what: string;
  private lastRelistAt = -Infinity;

  constructor(
    private readonly client: KubeClient,
    private readonly kind: KindInfo,
    private readonly namespace: string,
    private readonly options: InformerOptions<T> = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.project = options.metadataOnly ? (raw) => nameOnly<T>(raw) : (options.project ?? ((raw) => slim<T>(raw)));
    this.backoff = new Backoff({ clock: this.clock, ...options.backoff });
    this.what = describeTarget(kind, namespace || undefined);
  }

  get state(): InformerState {
    return this.current;
  }

  get objects(): ReadonlyMap<string, T> {
    return this.store;
  }

  get synced(): boolean {
    return this.hasSynced;
  }

  /** The resourceVersion the next watch resumes from. */
  get lastResourceVersion(): string {
    return this.resourceVersion;
  }

  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    void this.run();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.abort.abort();
    this.setState({ phase: 'stopped' });
    this.emitter.dispose();
  }

  private setState(state: InformerState): void {
    this.current = state;
    this.emitter.fire({ type: 'state', state });
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let needList = true;
    while (!this.disposed) {
      try {
        if (needList) {
          await this.list(signal);
          needList = false;
        }
        const startedAt = this.clock.now();
        await this.watch(signal);
        if (this.clock.now() - startedAt < (this.options.minWatchMs ?? 1000)) {
          await sleep(this.clock, this.backoff.next(), signal);
        }
      } catch (err) {
        if (this.disposed || isCancellation(err)) return;
        let delay: number;
        if (err instanceof GoneError) {
          needList = true;
          const recent = this.clock.now() - this.lastRelistAt < 60_000;
          this.logger.info(`Watch ${this.what}: resourceVersion expired, listing again`);
          if (!recent) continue;
          delay = this.backoff.next();
        } else {
          delay = this.backoff.next();
        }
        const error = err instanceof ExplainedError ? err : explainTransportError({ what: `Watch ${this.what}`, server: this.client.server, context: this.client.context }, err);
        this.logger.warn(`Watch ${this.what}: ${error.message} Retrying in ${delay} ms.`);
        this.setState({ phase: 'backoff', error, retryInMs: delay, attempt: this.backoff.attempt });
        try {
          await sleep(this.clock, delay, signal);
        } catch {
          return;
        }
      }
    }
  }

  private async list(signal: AbortSignal): Promise<void> {
    this.setState({ phase: 'listing' });
    this.lastRelistAt = this.clock.now();
    const fresh = new Map<string, T>();
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      // An expired continue token is Gone: the list starts over.
      const page = await goneAsRelist(
        this.client.list<KubeObject>(this.kind, this.namespace || undefined, {
          limit: this.options.pageSize ?? 500,
          continue: continueToken,
          labelSelector: this.options.labelSelector,
          fieldSelector: this.options.fieldSelector,
          accept: this.options.metadataOnly ? metadataListAccept : undefined,
          signal,
        }),
      );
      for (const raw of page.items) {
        const object = this.project(raw);
        fresh.set(objectKey(object.metadata), object);
      }
      continueToken = page.continue;
      resourceVersion = page.resourceVersion;
    } while (continueToken);
    if (this.disposed) return;
    this.store = fresh;
    this.resourceVersion = resourceVersion;
    this.hasSynced = true;
    this.setState({ phase: 'synced' });
    this.emitter.fire({ type: 'synced', objects: fresh });
  }

  private watchTimeoutSeconds(): number {
    return this.options.watchTimeoutSeconds?.() ?? 300 + Math.floor(Math.random() * 301);
  }

  private async watch(signal: AbortSignal): Promise<void> {
    const timeoutSeconds = this.watchTimeoutSeconds();
    // A resourceVersion too old to watch from is Gone: relist.
    const response: IncomingMessage = await goneAsRelist(
      this.client.stream({
        what: `Watch ${this.what}`,
        path: resourcePath(this.kind, this.namespace || undefined),
        query: {
          watch: 1,
          allowWatchBookmarks: true,
          resourceVersion: this.resourceVersion,
          timeoutSeconds,
          labelSelector: this.options.labelSelector,
          fieldSelector: this.options.fieldSelector,
        },
        accept: this.options.metadataOnly ? metadataAccept : undefined,
        signal,
      }),
    );
    if (this.current.phase !== 'synced') this.setState({ phase: 'synced' });
    // The server ends the watch after timeoutSeconds; one that stays silent well past that has
    // lost its connection without noticing (a network partition), so give it up.
    const deadline = this.clock.setTimeout(() => response.destroy(), (timeoutSeconds + 60) * 1000);
    await new Promise<void>((resolve, reject) => {
      const splitter = new LineSplitter();
      const onLine = (line: string) => this.apply(JSON.parse(line) as WatchEvent);
      const fail = (err: unknown) => {
        response.destroy();
        reject(err);
      };
      response.on('data', (chunk: Buffer) => {
        try {
          splitter.push(chunk, onLine);
        } catch (err) {
          fail(err);
        }
      });
      response.once('end', () => {
        try {
          splitter.flush(onLine);
          resolve();
        } catch (err) {
          fail(err);
        }
      });
      // A dropped connection ends the watch like a timeout: resume from the last resourceVersion.
      response.once('error', () => resolve());
      response.once('close', () => resolve());
    }).finally(() => this.clock.clearTimeout(deadline));
  }

  private apply(event: WatchEvent): void {
    if (this.disposed) return;
    const object = event.object;
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED': {
        const projected = this.project(object);
        this.store.set(objectKey(projected.metadata), projected);
        this.resourceVersion = projected.metadata.resourceVersion;
        this.emitter.fire({ type: event.type === 'ADDED' ? 'added' : 'modified', object: projected });
        return;
      }
      case 'DELETED': {
        const projected = this.project(object);
        const key = objectKey(projected.metadata);
        this.store.delete(key);
        this.resourceVersion = projected.metadata.resourceVersion;
        this.emitter.fire({ type: 'deleted', object: projected });
        return;
      }
      case 'BOOKMARK':
        this.resourceVersion = object.metadata.resourceVersion;
        return;
      case 'ERROR': {
        const code = typeof object.code === 'number' ? object.code : 500;
        if (code === 410) throw new GoneError(String(object.message ?? 'resourceVersion expired'));
        throw explainResponse({ what: `Watch ${this.what}`, server: this.client.server, context: this.client.context }, code, object);
      }
      default:
        this.logger.debug(`Watch ${this.what}: ignoring event type ${String((event as { type?: unknown }).type)}`);
    }
  }
}
