/**
 * The always-available preview URL: a listener on 127.0.0.1:<free port> whose every connection is
 * forwarded through `pods/portforward` to a ready pod behind the sandbox's entry Service (see
 * entryDialer.ts for how the pod is found and re-found). What went wrong last is kept, so a failed
 * health check can say why in plain words. The listener owns its sockets and forwards; dispose
 * closes all.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { KubeClient } from '../../kube/api';
import { ExplainedError, isCancellation } from '../../kube/errors';
import type { PortForwardOptions, PortForwardStream } from '../../kube/portforward';
import type { Disposable } from '../../lifecycle';
import { listenOnLoopback } from '../../loopback';
import { EntryDialer } from './entryDialer';
import { checkHealth, explainHealth, type HealthOptions, type HealthResult } from '../lifecycle/health';
import type { PreviewTarget } from './previewTarget';
import { LoopbackEndpoint, type LoopbackEndpointOptions } from './loopbackEndpoint';

export interface PreviewListenerOptions extends LoopbackEndpointOptions {
  client: KubeClient;
  portForward?: PortForwardOptions;
}

export class PreviewListener extends LoopbackEndpoint<PreviewListenerOptions> implements Disposable {
  private readonly sockets = new Set<Socket | PortForwardStream>();
  private readonly dialer: EntryDialer;
  private problem: ExplainedError | undefined;
  private connections = 0;

  private constructor(server: Server, options: PreviewListenerOptions) {
    super(server, options);
    this.dialer = new EntryDialer(options.client, options.entry, options.portForward);
  }

  /** Listens and resolves once the port is open. */
  static async open(options: PreviewListenerOptions): Promise<PreviewListener> {
    const server = createServer({ pauseOnConnect: true });
    const listener = new PreviewListener(server, options);
    server.on('connection', (socket) => listener.accept(socket));
    await listenOnLoopback(server, options.localPort);
    server.on('error', () => undefined);
    return listener;
  }

  /** The pod connections currently go to, once one was resolved. */
  get currentTarget(): PreviewTarget | undefined {
    return this.dialer.currentTarget;
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
  resolve(signal?: AbortSignal): Promise<PreviewTarget> {
    return this.dialer.resolve(signal);
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

  private async forward(socket: Socket): Promise<void> {
    const abort = new AbortController();
    const onClose = () => abort.abort();
    socket.once('close', onClose);
    let stream: PortForwardStream;
    try {
      stream = await this.dialer.open(abort.signal);
    } catch (err) {
      if (!isCancellation(err)) this.problem = this.dialer.explain(err);
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
      this.dialer.forget();
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
