/**
 * The header-routed preview: an HTTP proxy on 127.0.0.1:<free port> that forwards every request
 * to the baseline's entry Service through `pods/portforward`, with `tether-sandbox=<sandbox>` put
 * into its W3C `baggage` header. The baseline's services pass the baggage on, and the mesh (or the
 * services themselves) route calls for forked workloads to the sandbox.
 *
 * It has to be an HTTP proxy, not a byte pipe like preview.ts: the header goes into each request,
 * including every request of a keep-alive connection and WebSocket upgrade requests. Upstream
 * connections come from its connector (entryConnector.ts: streams through the sandbox's agent,
 * or a port-forward each where no agent runs) and are handed to an http.Agent, so they are kept
 * alive and reused across browser connections. Bodies stream both ways; hop-by-hop headers stay on their hop. When
 * the entry cannot be reached, the answer is a 502 page that says why. It owns its server, agent
 * and upgraded sockets; dispose closes all.
 */
import { Agent, createServer, request, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { KubeClient } from '../../kube/api';
import { ExplainedError, isCancellation } from '../../kube/errors';
import { joinRemedy, neutralStepWords, type NextStep } from '../../kube/nextStep';
import type { PortForwardOptions } from '../../kube/portforward';
import type { Disposable } from '../../lifecycle';
import { listenOnLoopback } from '../../loopback';
import { BaggageError, mergeBaggage, sandboxBaggageKey } from './baggage';
import type { EntryConnector } from './entryConnector';
import { EntryDialer } from './entryDialer';
import { checkHealth, explainHealth, type HealthOptions, type HealthResult } from '../lifecycle/health';
import type { PreviewTarget } from './previewTarget';
import { LoopbackEndpoint, type LoopbackEndpointOptions } from './loopbackEndpoint';

/** `entry` is the baseline's entry Service. */
export interface BaggageProxyOptions extends LoopbackEndpointOptions {
  client: KubeClient;
  /** The value of the `tether-sandbox` baggage member: the sandbox's name. */
  sandbox: string;
  /** How upstream connections reach the entry; default a port-forward each (EntryDialer). */
  connector?: EntryConnector;
  portForward?: PortForwardOptions;
}

/** A reused upstream connection the service had closed: reset, in words of either transport. */
function isReset(err: NodeJS.ErrnoException): boolean {
  return err.code === 'ECONNRESET' || err.code === 'PEER_RESET';
}

/** Headers that belong to one connection (RFC 9110 7.6.1), never forwarded as they are. */
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Methods whose requests carry no body, so they can be sent again after a reused forward broke. */
const bodiless = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Marks answers the proxy made itself, so a client can tell them from the service's own. */
export const proxyErrorHeader = 'x-tether-preview-error';

/**
 * `rawHeaders` without hop-by-hop headers (and those the Connection header names) and without
 * `baggage`, as a flat [name, value, ...] list, names' case kept. `keep` lists hop-by-hop headers
 * that must stay (Connection and Upgrade on an upgrade request).
 */
export function endToEndHeaders(rawHeaders: readonly string[], headers: IncomingHttpHeaders, keep: readonly string[] = []): string[] {
  const named = String(headers.connection ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  const drop = new Set([...hopByHop, ...named, 'baggage']);
  for (const k of keep) drop.delete(k);
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!drop.has(rawHeaders[i].toLowerCase())) out.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  return out;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page shown instead of the service's answer: what failed, why, and what to do. */
export function errorPage(title: string, error: { what: string; why: string; remedy: string; step?: NextStep }): string {
  return [
    '<!doctype html><html><head><meta charset="utf-8"><title>Tether preview: ' + escapeHtml(title) + '</title></head>',
    '<body style="font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; line-height: 1.5">',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p><strong>${escapeHtml(error.what)}</strong> failed: ${escapeHtml(error.why)}.</p>`,
    `<p>Next step: ${escapeHtml(joinRemedy(error.remedy, error.step, neutralStepWords))}.</p>`,
    '</body></html>',
    '',
  ].join('\n');
}

/**
 * An http.Agent whose connections are the connector's streams. A free stream is dropped a little
 * before the service would close it (the `Keep-Alive: timeout` hint, else Node's 5 s), so a reused
 * stream is very rarely one the service is closing at that moment.
 */
class ForwardAgent extends Agent {
  private readonly idle = new WeakMap<Duplex, NodeJS.Timeout>();

  constructor(private readonly dial: (callback: (err: Error | null, stream: Duplex) => void) => void) {
    super({ keepAlive: true, maxSockets: 32, maxFreeSockets: 8, scheduling: 'lifo' });
  }

  override createConnection(_options: unknown, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    this.dial(callback!);
    return undefined;
  }

  // The defaults call net.Socket-only methods (setKeepAlive, unref, ref); a stream has none.
  override keepSocketAlive(socket: Duplex & { _httpMessage?: ClientRequest & { res?: IncomingMessage } }): boolean {
    const hint = /timeout=(\d+)/.exec(String(socket._httpMessage?.res?.headers['keep-alive'] ?? ''));
    const ms = Math.max(500, (hint ? Number(hint[1]) * 1000 : 5_000) - 1_000);
    const timer = setTimeout(() => socket.destroy(), ms);
    timer.unref();
    this.idle.set(socket, timer);
    return true;
  }

  override reuseSocket(socket: Duplex, req: ClientRequest): void {
    clearTimeout(this.idle.get(socket));
    this.idle.delete(socket);
    req.reusedSocket = true;
  }
}

export class BaggageProxy extends LoopbackEndpoint<BaggageProxyOptions, HttpServer> implements Disposable {
  readonly connector: EntryConnector;
  private readonly agent: ForwardAgent;
  /** Upgraded (WebSocket) connections: both ends, which the server and agent no longer track. */
  private readonly upgraded = new Set<Duplex>();
  private readonly shutdown = new AbortController();
  private requests = 0;

  private constructor(server: HttpServer, options: BaggageProxyOptions) {
    super(server, options);
    this.connector = options.connector ?? new EntryDialer(options.client, options.entry, options.portForward);
    this.agent = new ForwardAgent((callback) => this.dial(callback));
  }

  /** Listens and resolves once the port is open. */
  static async open(options: BaggageProxyOptions): Promise<BaggageProxy> {
    const server = createServer();
    const proxy = new BaggageProxy(server, options);
    server.on('request', (req, res) => proxy.forward(req, res));
    server.on('upgrade', (req, socket, head) => void proxy.upgrade(req, socket as Socket, head));
    server.on('clientError', (_err, socket) => socket.destroy());
    await listenOnLoopback(server, options.localPort);
    server.on('error', () => undefined);
    return proxy;
  }

  /** The sandbox every request is routed to: the value of its `tether-sandbox` baggage member. */
  get sandbox(): string {
    return this.options.sandbox;
  }

  /** The pod connections currently go to, when they go through port-forwards and one was resolved. */
  get currentTarget(): PreviewTarget | undefined {
    return this.connector instanceof EntryDialer ? this.connector.currentTarget : undefined;
  }

  /** Requests (upgrades included) received so far. */
  get requestCount(): number {
    return this.requests;
  }

  /** One GET of the URL through the proxy; its own 502 carries the reason it knew. */
  async check(options: HealthOptions = {}): Promise<HealthResult> {
    this.clearProblem();
    const result = await checkHealth(this.url, options);
    const problem = this.lastProblem;
    if (!result.ok && problem && (result.failure.kind !== 'server-error' || result.failure.status === 502)) {
      return { ok: false, failure: { kind: 'entry', error: problem }, ms: result.ms };
    }
    return result;
  }

  explain(result: Extract<HealthResult, { ok: false }>): ExplainedError {
    return explainHealth(this.url, result.failure);
  }

  /** A connection for the http.Agent: given at once, so the request goes out with its open. */
  private dial(callback: (err: Error | null, stream: Duplex) => void): void {
    this.connector.connect(this.shutdown.signal).then(
      ({ stream }) => {
        stream.on('error', (err) => this.streamFailed(err));
        callback(null, stream);
      },
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), undefined as unknown as Duplex),
    );
  }

  /** A connection that broke after it started (the kubelet's "connection refused" in the pod) explains the next failure. */
  private streamFailed(err: Error): void {
    if (err instanceof ExplainedError) this.report(err);
    this.connector.forget();
  }

  /** Why a request could not be forwarded: the connector's explanation, else the failure itself. */
  private async explainFailure(err: unknown): Promise<ExplainedError> {
    const explained = await this.connector.explain(err);
    if (explained) return explained;
    return new ExplainedError({ reason: 'Unreachable', what: `Forward the request to Service "${this.options.entry.service}"`, why: err instanceof Error ? err.message : String(err), remedy: 'Try again; the Tether log has details' });
  }

  /** The outgoing headers of `req`, with our baggage member; a BaggageError when it does not fit. */
  private headersFor(req: IncomingMessage, keep: readonly string[] = []): string[] {
    const baggage = mergeBaggage(req.headers.baggage, sandboxBaggageKey, this.options.sandbox);
    return [...endToEndHeaders(req.rawHeaders, req.headers, keep), 'baggage', baggage];
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    this.requests++;
    if (this.disposed) return void res.destroy();
    let headers: string[];
    try {
      headers = this.headersFor(req);
    } catch (err) {
      return this.refuse(res, err);
    }
    this.send(req, res, headers, false);
  }

  private send(req: IncomingMessage, res: ServerResponse, headers: string[], retry: boolean): void {
    const upstream = request({ agent: this.agent, host: '127.0.0.1', method: req.method, path: req.url, headers, setHost: false });
    upstream.on('response', (answer) => {
      this.clearProblem();
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEndHeaders(answer.rawHeaders, answer.headers));
      answer.pipe(res);
      // The service's side broke off mid-body: the browser must see a broken answer, not a short one.
      answer.once('close', () => {
        if (!answer.complete) res.destroy();
      });
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (res.headersSent || this.disposed) return void res.destroy();
      // A kept forward the service closed just as it was reused: a request without a body is safe to send once more.
      if (!retry && upstream.reusedSocket && isReset(err) && bodiless.has(req.method ?? '')) return this.send(req, res, headers, true);
      void this.explainFailure(err).then((problem) => {
        this.report(problem);
        if (res.headersSent || res.destroyed) return void res.destroy();
        this.answerError(res, 502, 'The preview cannot reach its entry', problem);
      });
    });
    // The browser went away before the answer finished: stop the upstream exchange too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (retry) upstream.end();
    else req.pipe(upstream);
  }

  private refuse(res: ServerResponse, err: unknown): void {
    if (err instanceof BaggageError) {
      return this.answerError(res, 431, 'The request\'s baggage header is too large', { what: `Add ${sandboxBaggageKey}=${this.options.sandbox} to the request's baggage`, why: err.message, remedy: err.remedy });
    }
    this.answerError(res, 500, 'The preview proxy failed', { what: 'Forward the request', why: String(err), remedy: 'Try again; the Tether log has details' });
  }

  private answerError(res: ServerResponse, status: number, title: string, error: { what: string; why: string; remedy: string; reason?: string }): void {
    const body = errorPage(title, error);
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', [proxyErrorHeader]: error.reason ?? 'proxy' });
    res.end(body);
  }

  /** WebSocket (or any Upgrade): the request head goes out with our baggage, then bytes flow both ways. */
  private async upgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    this.requests++;
    if (this.disposed) return void socket.destroy();
    this.upgraded.add(socket);
    socket.once('close', () => this.upgraded.delete(socket));
    socket.on('error', () => undefined);
    let headers: string[];
    try {
      headers = this.headersFor(req, ['connection', 'upgrade']);
    } catch (err) {
      const message = err instanceof BaggageError ? `${err.message}. ${err.remedy}.` : String(err);
      return void socket.end(rawErrorResponse(431, message));
    }
    const abort = new AbortController();
    socket.once('close', () => abort.abort());
    let stream: Duplex;
    let ready: Promise<void>;
    try {
      ({ stream, ready } = await this.connector.connect(abort.signal));
    } catch (err) {
      if (isCancellation(err)) return void socket.destroy();
      const problem = await this.explainFailure(err);
      this.report(problem);
      return void socket.end(rawErrorResponse(502, problem.message));
    }
    if (this.disposed || socket.destroyed) return void stream.destroy();
    this.upgraded.add(stream);
    stream.once('close', () => this.upgraded.delete(stream));
    let answered = false;
    stream.once('data', () => (answered = true));
    ready.then(
      () => this.clearProblem(),
      () => undefined, // the stream fails with the same error
    );
    stream.on('error', (err) => {
      this.streamFailed(err);
      if (answered) return void socket.destroy();
      // No answer to the upgrade yet: the client gets a 502 that says why.
      void this.explainFailure(err).then((problem) => {
        this.report(problem);
        socket.end(rawErrorResponse(502, problem.message));
      });
    });
    socket.once('close', () => stream.destroy());
    stream.write(requestHead(req, headers));
    if (head.length > 0) stream.write(head);
    stream.pipe(socket);
    socket.pipe(stream);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.shutdown.abort();
    this.closeProblems();
    this.server.close();
    this.server.closeAllConnections();
    this.agent.destroy();
    for (const s of this.upgraded) s.destroy();
    this.upgraded.clear();
  }
}

/** An HTTP/1.1 request head from the incoming request line and the given raw headers. */
function requestHead(req: IncomingMessage, headers: readonly string[]): string {
  const lines = [`${req.method} ${req.url} HTTP/1.1`];
  for (let i = 0; i + 1 < headers.length; i += 2) lines.push(`${headers[i]}: ${headers[i + 1]}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** A complete response on a socket that was to be upgraded, which has no ServerResponse. */
function rawErrorResponse(status: 431 | 502, message: string): string {
  const reason = status === 431 ? 'Request Header Fields Too Large' : 'Bad Gateway';
  const body = `${message}\n`;
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${proxyErrorHeader}: proxy\r\nconnection: close\r\n\r\n${body}`;
}
