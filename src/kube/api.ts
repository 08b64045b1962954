/**
 * Typed REST over node:http(s). Authentication is applied per request by the context's own
 * KubeConfig (exec plugins, token refresh, client certs, OIDC); connections are kept alive in one
 * agent owned by the client. Every failure becomes an ExplainedError (see explain.ts).
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import type { Disposable } from '../lifecycle';
import { kubeConfigForContext, type LoadedKubeconfig } from './config';
import { credentialExpiry } from './credentials';
import { ExecCredentialProvider, type ExecConfig } from './exec-credential';
import { ExplainedError } from './errors';
import { explainCredentialError, explainResponse, explainTransportError, type ExplainContext } from './explain';
import { resourcePath, type KindInfo } from './kinds';
import { silentLogger, type Logger } from './logger';
import { redact } from './redact';
import type { KubeObject } from './types';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  /** What this request does, in words: "List pods in namespace shop". Used in errors. */
  what: string;
  method?: HttpMethod;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** The Accept header (default application/json), e.g. a metadata-only projection. */
  accept?: string;
  signal?: AbortSignal;
  /** For `request`: the whole exchange; for `stream`: until the response headers arrive. */
  timeoutMs?: number;
}

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
  continue?: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  /** The Accept header, e.g. `metadataListAccept` for names and labels without the objects' data. */
  accept?: string;
  signal?: AbortSignal;
}

export interface ClientIdentity {
  context: string;
  server: string;
  defaultNamespace: string;
  /** The exec credential plugin of the context's user; the client owns and disposes it. */
  exec?: ExecCredentialProvider;
}

/**
 * Accept headers that ask the API server for metadata only (`meta.k8s.io/v1` PartialObjectMetadata,
 * served since Kubernetes 1.15): a list answers with PartialObjectMetadataList, a single object or
 * a watch event with PartialObjectMetadata. No fallback to full objects is offered, so a server
 * that cannot project answers 406 rather than sending data (a Secret's) that was not asked for.
 */
export const metadataListAccept = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
export const metadataAccept = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

const defaultTimeoutMs = 30_000;
const listPageSize = 500;

function timeoutError(ms: number): Error {
  return Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ERR_REQUEST_TIMEOUT' });
}

export function describeTarget(kind: KindInfo, namespace: string | undefined, name?: string): string {
  const what = name ? `${kind.kind} "${name}"` : kind.plural;
  return kind.namespaced && namespace ? `${what} in namespace "${namespace}"` : what;
}

export interface UpgradeRequest {
  url: URL;
  options: https.RequestOptions;
  explain: ExplainContext;
  rejected(): void;
}

export class KubeClient implements Disposable {
  readonly context: string;
  readonly server: string;
  readonly defaultNamespace: string;
  private readonly exec?: ExecCredentialProvider;
  /** Short requests: kept-alive connections, at most 32 at once. */
  private readonly agent: http.Agent;
  /**
   * Streams (watches, followed logs) hold their connection for as long as they run, so they get a
   * pool of their own without a limit: many watches must never queue a list behind them.
   */
  private readonly streamAgent: http.Agent;
  private readonly secure: boolean;
  private disposed = false;

  /** A client for one context of a loaded kubeconfig. Throws UnknownContext / InvalidKubeconfig. */
  static forContext(config: LoadedKubeconfig, context: string, logger: Logger = silentLogger): KubeClient {
    const { kubeConfig, cluster, user, context: ctx } = kubeConfigForContext(config, context);
    const execConfig = user.exec as ExecConfig | undefined;
    const exec = execConfig?.command
      ? new ExecCredentialProvider(execConfig, {
          server: cluster.server,
          caData: cluster.caData,
          skipTLSVerify: cluster.skipTLSVerify,
          tlsServerName: cluster.tlsServerName,
          proxyUrl: cluster.proxyUrl,
        })
      : undefined;
    return new KubeClient(kubeConfig, { context, server: cluster.server, defaultNamespace: ctx.namespace || 'default', exec }, logger);
  }

  constructor(
    private readonly kubeConfig: KubeConfig,
    identity: ClientIdentity,
    private readonly logger: Logger = silentLogger,
  ) {
    this.context = identity.context;
    this.server = identity.server.replace(/\/+$/, '');
    this.defaultNamespace = identity.defaultNamespace;
    this.exec = identity.exec;
    this.secure = !this.server.startsWith('http:');
    const Agent = this.secure ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: 32 });
    this.streamAgent = new Agent({ keepAlive: true });
  }

  private explainContext(what: string, path?: string): ExplainContext {
    const ctx: ExplainContext = { what, server: this.server, context: this.context };
    const namespace = path && /\/namespaces\/([^/?]+)\/[^/?]/.exec(path)?.[1];
    if (namespace) ctx.namespace = decodeURIComponent(namespace);
    if (this.exec) ctx.exec = { command: this.exec.config.command, installHint: this.exec.config.installHint };
    const user = this.kubeConfig.getCurrentUser();
    const expiry = user ? credentialExpiry(user) : undefined;
    if (expiry) ctx.credentials = expiry;
    return ctx;
  }

  private url(options: RequestOptions): URL {
    const url = new URL(this.server + options.path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  /** TLS material and headers for one request, from the context's auth (may run an exec plugin). */
  private async authOptions(what: string, agent: http.Agent = this.agent): Promise<https.RequestOptions> {
    const opts: https.RequestOptions = { headers: {} };
    try {
      await this.kubeConfig.applyToHTTPSOptions(opts);
    } catch (err) {
      // client-node refuses plain-http servers unless skipTLSVerify; its auth is applied before that check.
      const plainHttpRefusal = !this.secure && err instanceof Error && err.message.startsWith('HTTP protocol is not allowed');
      if (!plainHttpRefusal) throw explainCredentialError(this.explainContext(what), err);
    }
    if (this.exec) {
      try {
        const credential = await this.exec.get();
        if (credential.token) opts.headers = { ...opts.headers, Authorization: `Bearer ${credential.token}` };
        if (credential.clientCertificateData) opts.cert = credential.clientCertificateData;
        if (credential.clientKeyData) opts.key = credential.clientKeyData;
      } catch (err) {
        throw explainCredentialError(this.explainContext(what), err);
      }
    }
    const proxied = Boolean(this.kubeConfig.getCurrentCluster()?.proxyUrl);
    if (!proxied) opts.agent = agent;
    return opts;
  }

  private async send(options: RequestOptions, agent: http.Agent = this.agent): Promise<IncomingMessage> {
    if (this.disposed) throw new ExplainedError({ reason: 'Cancelled', what: options.what, why: 'the connection to the cluster was closed', remedy: 'Nothing to do' });
    const ctx = () => this.explainContext(options.what, options.path);
    if (options.signal?.aborted) throw explainTransportError(ctx(), abortError());
    const auth = await this.authOptions(options.what, agent);
    const url = this.url(options);
    const method = options.method ?? 'GET';
    const headers: http.OutgoingHttpHeaders = { Accept: options.accept ?? 'application/json', ...(auth.headers as http.OutgoingHttpHeaders) };
    let payload: Buffer | undefined;
    if (options.body !== undefined) {
      payload = Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = payload.length;
    }
    this.logger.trace(`${method} ${redact(url.pathname + url.search)}`);
    const requestOptions: https.RequestOptions = { ...auth, method, headers, signal: options.signal };
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = (this.secure ? https : http).request(url, requestOptions, resolve);
      const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
      const timer = setTimeout(() => req.destroy(timeoutError(timeoutMs)), timeoutMs);
      req.once('response', () => clearTimeout(timer));
      req.once('close', () => clearTimeout(timer));
      req.once('error', (err) => reject(options.signal?.aborted ? abortError() : explainTransportError(ctx(), err)));
      req.end(payload);
    }).catch((err: unknown) => {
      throw explainTransportError(ctx(), err);
    });
    const warning = response.headers.warning;
    if (warning) this.logger.warn(`${options.what}: the API server warns: ${redact(Array.isArray(warning) ? warning.join('; ') : warning)}`);
    if ((response.statusCode ?? 0) >= 400) {
      if (response.statusCode === 401) this.exec?.invalidate();
      const body = await readBody(response, options.signal).catch((err: unknown) => {
        throw explainTransportError(ctx(), err);
      });
      const retryAfter = response.headers['retry-after'];
      const error = explainResponse(ctx(), response.statusCode ?? 0, body.toString('utf8'), typeof retryAfter === 'string' ? retryAfter : undefined);
      this.logger.debug(`${method} ${url.pathname}: ${error.message}`);
      throw error;
    }
    return response;
  }

  /**
   * What a connection upgrade (WebSocket: port-forward, exec) to `path` needs: its URL, this
   * context's TLS material and headers, and what errors are explained against. `rejected()` tells the
   * client the API server refused the credentials (401), so an exec plugin is asked again next time.
   */
  async upgradeRequest(options: Pick<RequestOptions, 'what' | 'path' | 'query'>): Promise<UpgradeRequest> {
    if (this.disposed) throw new ExplainedError({ reason: 'Cancelled', what: options.what, why: 'the connection to the cluster was closed', remedy: 'Nothing to do' });
    const auth = await this.authOptions(options.what);
    // Upgraded sockets leave the pool; only a proxy agent (set by the kubeconfig) is kept.
    const proxied = auth.agent !== undefined && auth.agent !== this.agent;
    const requestOptions: https.RequestOptions = { ...auth, agent: proxied ? auth.agent : undefined };
    this.logger.trace(`UPGRADE ${redact(options.path)}`);
    return { url: this.url(options), options: requestOptions, explain: this.explainContext(options.what), rejected: () => this.exec?.invalidate() };
  }

  /** JSON in, JSON out. */
  async request<T>(options: RequestOptions): Promise<T> {
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    const response = await this.send(options);
    const body = await readBody(response, options.signal, timeoutMs).catch((err: unknown) => {
      throw explainTransportError(this.explainContext(options.what), err);
    });
    if (body.length === 0) return undefined as T;
    try {
      return JSON.parse(body.toString('utf8')) as T;
    } catch (err) {
      throw new ExplainedError(
        { reason: 'Unknown', what: options.what, why: `${this.server} answered with something that is not JSON`, remedy: 'Check that the kubeconfig points at a Kubernetes API server, not a proxy or login page' },
        { cause: err },
      );
    }
  }

  /** A response body to read incrementally (watch, logs with follow). The caller owns and destroys it. */
  stream(options: RequestOptions): Promise<IncomingMessage> {
    return this.send(options, this.streamAgent);
  }

  list<T extends KubeObject>(kind: KindInfo, namespace: string | undefined, options: ListOptions = {}): Promise<ListResult<T>> {
    return this.listPage<T>(kind, namespace, options);
  }

  /** Every page, following `continue` with pages of 500. */
  async listAll<T extends KubeObject>(kind: KindInfo, namespace: string | undefined, options: ListOptions = {}): Promise<ListResult<T>> {
    const items: T[] = [];
    let page: ListResult<T> = { items: [], resourceVersion: '', continue: options.continue };
    do {
      page = await this.listPage<T>(kind, namespace, { ...options, limit: options.limit ?? listPageSize, continue: page.continue });
      for (const item of page.items) items.push(item);
    } while (page.continue);
    return { items, resourceVersion: page.resourceVersion };
  }

  private async listPage<T extends KubeObject>(kind: KindInfo, namespace: string | undefined, options: ListOptions): Promise<ListResult<T>> {
    const raw = await this.request<{ items?: T[] | null; metadata?: { resourceVersion?: string; continue?: string } }>({
      what: `List ${describeTarget(kind, namespace)}`,
      path: resourcePath(kind, namespace),
      query: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, limit: options.limit, continue: options.continue || undefined },
      accept: options.accept,
      signal: options.signal,
    });
    const result: ListResult<T> = { items: raw?.items ?? [], resourceVersion: raw?.metadata?.resourceVersion ?? '' };
    if (raw?.metadata?.continue) result.continue = raw.metadata.continue;
    return result;
  }

  get<T>(kind: KindInfo, namespace: string | undefined, name: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>({ what: `Get ${describeTarget(kind, namespace, name)}`, path: resourcePath(kind, namespace, name), signal });
  }

  async delete(kind: KindInfo, namespace: string | undefined, name: string, options: { propagationPolicy?: 'Foreground' | 'Background' | 'Orphan'; signal?: AbortSignal } = {}): Promise<void> {
    await this.request<unknown>({
      what: `Delete ${describeTarget(kind, namespace, name)}`,
      method: 'DELETE',
      path: resourcePath(kind, namespace, name),
      body: options.propagationPolicy ? { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: options.propagationPolicy } : undefined,
      signal: options.signal,
    });
  }

  version(signal?: AbortSignal): Promise<{ gitVersion: string; major: string; minor: string }> {
    return this.request({ what: `Read the version of ${this.server}`, path: '/version', signal, timeoutMs: 10_000 });
  }

  /** Closes every kept-alive connection. In-flight requests fail; owners abort theirs first. */
  dispose(): void {
    this.disposed = true;
    this.exec?.dispose();
    this.agent.destroy();
    this.streamAgent.destroy();
  }
}

function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
}

/** Reads a whole response body; honours the signal and an optional idle timeout. */
function readBody(response: IncomingMessage, signal?: AbortSignal, timeoutMs?: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      if (timeoutMs === undefined) return;
      clearTimeout(timer);
      timer = setTimeout(() => response.destroy(timeoutError(timeoutMs)), timeoutMs);
    };
    const onAbort = () => response.destroy(abortError());
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    arm();
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      arm();
    });
    response.once('end', () => {
      done();
      resolve(Buffer.concat(chunks));
    });
    response.once('error', (err) => {
      done();
      reject(signal?.aborted ? abortError() : err);
    });
    response.once('close', () => {
      if (!response.complete) {
        done();
        reject(signal?.aborted ? abortError() : Object.assign(new Error('the connection closed before the answer was complete'), { code: 'ECONNRESET' }));
      }
    });
    if (signal?.aborted) onAbort();
  });
}
