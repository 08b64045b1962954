/**
 * The always-available preview URL: a listener on 127.0.0.1:<free port> whose every connection is
 * forwarded through `pods/portforward` to a ready pod behind the sandbox's entry Service. The
 * target is resolved once and reused; when a forward cannot be opened it is resolved again (the
 * pod was replaced) and tried once more. What went wrong last is kept, so a failed health check
 * can say why in plain words. The listener owns its sockets and forwards; dispose closes all.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { KubeClient } from '../kube/api';
import { ExplainedError, isCancellation } from '../kube/errors';
import { openPortForward, type PortForwardOptions, type PortForwardStream } from '../kube/portforward';
import type { Disposable } from '../lifecycle';
import { checkHealth, explainHealth, type HealthOptions, type HealthResult } from './health';
import { resolvePreviewTarget, type PreviewEntry, type PreviewTarget } from './previewTarget';

export interface PreviewListenerOptions {
  client: KubeClient;
  entry: PreviewEntry;
  /** Path the URL opens and the health check asks for (default "/"). */
  path?: string;
  /** Local port to listen on (default 0: a free one). */
  localPort?: number;
  portForward?: PortForwardOptions;
}

export class PreviewListener implements Disposable {
  private readonly sockets = new Set<Socket | PortForwardStream>();
  private target: PreviewTarget | undefined;
  private resolving: Promise<PreviewTarget> | undefined;
  private problem: ExplainedError | undefined;
  private disposed = false;
  private connections = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: PreviewListenerOptions,
  ) {}

  /** Listens and resolves once the port is open. */
  static async open(options: PreviewListenerOptions): Promise<PreviewListener> {
    const server = createServer({ pauseOnConnect: true });
    const listener = new PreviewListener(server, options);
    server.on('connection', (socket) => listener.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.localPort ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => undefined);
    return listener;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}${this.path}`;
  }

  get path(): string {
    return this.options.path ?? '/';
  }

  /** The Service connections enter through. */
  get entry(): PreviewEntry {
    return this.options.entry;
  }

  get isOpen(): boolean {
    return !this.disposed && this.server.listening;
  }

  /** The pod connections currently go to, once one was resolved. */
  get currentTarget(): PreviewTarget | undefined {
    return this.target;
  }

  /** Why the last connection could not be forwarded; cleared by the next one that was. */
  get lastProblem(): ExplainedError | undefined {
    return this.problem;
  }

  /** Connections accepted so far. */
  get connectionCount(): number {
    return this.connections;
  }

  /** Resolves the entry now (without waiting for a connection); throws the explanation. */
  async resolve(signal?: AbortSignal): Promise<PreviewTarget> {
    this.target = undefined;
    return this.currentOrResolve(signal);
  }

  private currentOrResolve(signal?: AbortSignal): Promise<PreviewTarget> {
    if (this.target) return Promise.resolve(this.target);
    this.resolving ??= resolvePreviewTarget(this.options.client, this.options.entry, signal).then(
      (target) => {
        this.resolving = undefined;
        this.target = target;
        return target;
      },
      (err: unknown) => {
        this.resolving = undefined;
        throw err;
      },
    );
    return this.resolving;
  }

  /** One GET of the URL; a failure carries the listener's own explanation when it has one. */
  async check(options: HealthOptions = {}): Promise<HealthResult> {
    this.problem = undefined;
    const result = await checkHealth(this.url, options);
    if (!result.ok && this.problem && result.failure.kind !== 'server-error') return { ok: false, failure: { kind: 'entry', error: this.problem }, ms: result.ms };
    return result;
  }

  /** The failure of `check` explained. */
  explain(result: Extract<HealthResult, { ok: false }>): ExplainedError {
    return explainHealth(this.url, result.failure);
  }

  private accept(socket: Socket): void {
    if (this.disposed) return void socket.destroy();
    this.connections++;
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    void this.forward(socket);
  }

  private async open(signal: AbortSignal): Promise<PortForwardStream> {
    const { client, entry } = this.options;
    const first = await this.currentOrResolve(signal);
    try {
      return await openPortForward(client, entry.namespace, first.pod, first.port, signal, this.options.portForward);
    } catch (err) {
      if (isCancellation(err)) throw err;
      // The pod may have been replaced: resolve again and try the new one once.
      if (this.target === first) this.target = undefined;
      const next = await this.currentOrResolve(signal);
      return openPortForward(client, entry.namespace, next.pod, next.port, signal, this.options.portForward);
    }
  }

  private async forward(socket: Socket): Promise<void> {
    const abort = new AbortController();
    const onClose = () => abort.abort();
    socket.once('close', onClose);
    let stream: PortForwardStream;
    try {
      stream = await this.open(abort.signal);
    } catch (err) {
      if (!isCancellation(err)) this.problem = err instanceof ExplainedError ? err : new ExplainedError({ reason: 'Unknown', what: `Forward a preview connection to Service "${this.options.entry.service}"`, why: String(err), remedy: 'Try again; the Tether log has details' });
      socket.destroy();
      return;
    } finally {
      socket.off('close', onClose);
    }
    if (this.disposed || socket.destroyed) return void stream.destroy();
    this.problem = undefined;
    this.sockets.add(stream);
    stream.once('close', () => this.sockets.delete(stream));
    stream.on('error', (err) => {
      // A failure after the start (the kubelet's "connection refused" inside the pod) explains a reset.
      if (err instanceof ExplainedError) this.problem = err;
      if (this.target) this.target = undefined;
      socket.destroy();
    });
    socket.once('close', () => stream.destroy());
    stream.once('end', () => socket.end());
    socket.pipe(stream);
    stream.pipe(socket);
    socket.resume();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.server.close();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }
}
