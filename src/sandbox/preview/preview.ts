/**
 * The always-available preview URL: a listener on 127.0.0.1:<free port> whose every connection
 * is carried to the sandbox's entry Service by its connector (entryConnector.ts): a stream on the
 * editor's one connection to the sandbox's agent, or, where no agent can run, a port-forward each.
 * What went wrong last is kept, so a failed health check can say why in plain words. The listener
 * owns its sockets and streams; dispose closes all.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { KubeClient } from '../../kube/api';
import { ExplainedError, isCancellation } from '../../kube/errors';
import type { PortForwardOptions } from '../../kube/portforward';
import type { Disposable } from '../../lifecycle';
import { listenOnLoopback } from '../../loopback';
import type { EntryConnector } from './entryConnector';
import { EntryDialer } from './entryDialer';
import { checkHealth, explainHealth, type HealthOptions, type HealthResult } from '../lifecycle/health';
import type { PreviewTarget } from './previewTarget';
import { LoopbackEndpoint, type LoopbackEndpointOptions } from './loopbackEndpoint';

export interface PreviewListenerOptions extends LoopbackEndpointOptions {
  client: KubeClient;
  /** How connections reach the entry; default a port-forward each (EntryDialer). */
  connector?: EntryConnector;
  portForward?: PortForwardOptions;
}

export class PreviewListener extends LoopbackEndpoint<PreviewListenerOptions> implements Disposable {
  private readonly sockets = new Set<Socket | Duplex>();
  readonly connector: EntryConnector;
  private connections = 0;

  private constructor(server: Server, options: PreviewListenerOptions) {
    super(server, options);
    this.connector = options.connector ?? new EntryDialer(options.client, options.entry, options.portForward);
  }

  /** Listens and resolves once the port is open. */
  static async open(options: PreviewListenerOptions): Promise<PreviewListener> {
    const server = createServer({ pauseOnConnect: true, noDelay: true });
    const listener = new PreviewListener(server, options);
    server.on('connection', (socket) => listener.accept(socket));
    await listenOnLoopback(server, options.localPort);
    server.on('error', () => undefined);
    return listener;
  }

  /** The pod connections currently go to, when they go through port-forwards and one was resolved. */
  get currentTarget(): PreviewTarget | undefined {
    return this.connector instanceof EntryDialer ? this.connector.currentTarget : undefined;
  }

  /** Connections accepted so far. */
  get connectionCount(): number {
    return this.connections;
  }

  /** One GET of the URL; a failure carries the listener's own explanation when it has one. */
  async check(options: HealthOptions = {}): Promise<HealthResult> {
    this.clearProblem();
    const result = await checkHealth(this.url, options);
    const problem = this.lastProblem;
    if (!result.ok && problem && result.failure.kind !== 'server-error') return { ok: false, failure: { kind: 'entry', error: problem }, ms: result.ms };
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
    let stream: Duplex;
    let ready: Promise<void>;
    try {
      ({ stream, ready } = await this.connector.connect(abort.signal));
    } catch (err) {
      if (!isCancellation(err)) this.report(await this.connector.explain(err));
      socket.destroy();
      return;
    } finally {
      socket.off('close', onClose);
    }
    if (this.disposed || socket.destroyed) return void stream.destroy();
    this.sockets.add(stream);
    stream.once('close', () => this.sockets.delete(stream));
    let answered = false;
    stream.once('data', () => (answered = true));
    ready.then(
      () => this.clearProblem(),
      () => undefined, // the stream fails with the same error
    );
    // Ended or failed before any answer: say why before the client sees the connection go, so the
    // health check that made it can tell (an unready entry pod, a refusal).
    const unanswered = (err: unknown, close: () => void) =>
      void this.connector.explain(err).then((problem) => {
        this.report(problem);
        close();
      });
    stream.on('error', (err) => {
      this.connector.forget();
      if (!answered) return unanswered(err, () => socket.destroy());
      // Cut mid-answer: the client sees it at once; the reason follows.
      socket.destroy();
      void this.connector.explain(err).then((problem) => this.report(problem));
    });
    socket.once('close', () => stream.destroy());
    stream.once('end', () => {
      if (answered) socket.end();
      else unanswered(new Error('the entry closed the connection without answering'), () => socket.end());
    });
    socket.pipe(stream);
    // The end is passed on above, once it is known whether the entry answered at all.
    stream.pipe(socket, { end: false });
    socket.resume();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.closeProblems();
    this.server.close();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }
}
