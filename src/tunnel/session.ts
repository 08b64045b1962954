/**
 * The extension side of a tunnel: finds a ready relay pod, port-forwards to the agent's control
 * port, says hello with the session token and runs a Mux over it. Inbound streams (in-cluster
 * callers) are delivered to the local process; `open()` adds local listeners whose connections
 * reach cluster services through the relay.
 *
 * When the connection drops it says why (reconnectReason.ts), re-resolves the relay pod and
 * reconnects with jittered backoff capped at 30 s, until disposed. In-flight streams fail with the
 * connection; listeners stay. The session owns every socket, timer and forward it creates.
 */
import type { KubeClient } from '../kube/api';
import { Backoff, type BackoffOptions } from '../kube/backoff';
import { isCancellation } from '../kube/errors';
import { silentLogger, type Logger } from '../kube/logger';
import { openPortForward, type PortForwardOptions } from '../kube/portforward';
import { Emitter, type Disposable } from '../lifecycle';
import { dialLocal, type LocalTarget } from './localTarget';
import { joinStreams } from './muxSocket';
import { StreamClosedError, type Mux, type MuxCloseReason, type MuxOptions, type MuxStream } from './mux';
import { connectExtension } from './muxHandshake';
import type { OpenTarget } from './protocol';
import { computerSlept, reasonFromClose, reasonFromError, relayNotReady, relayRestarted, type DropReason } from './reconnectReason';
import { SleepWatch, type SleepWatchOptions } from './reconnectSleep';
import { findRelayPod, relayPodChange, type RelayPodRef } from './relayPod';
import { LocalForward } from './sessionForward';
import type { LocalProblem, TunnelState, TunnelStats } from './sessionState';

export type { LocalTarget } from './localTarget';

/** A stream opened with early data (Mux.openEarly) and the agent's answer to it. */
export interface EarlyStream {
  stream: MuxStream;
  accepted: Promise<MuxStream>;
}
export type { LocalProblem, TunnelState, TunnelStats } from './sessionState';

export interface TunnelSessionOptions {
  client: KubeClient;
  namespace: string;
  /** Label selector (text) of the relay's pods. */
  selector: string;
  /** The per-session token the agent expects. */
  token: string;
  /** The agent's control port inside the pod. */
  controlPort: number;
  /** Where inbound traffic goes: one local target for every data port, or one per data port. */
  local: LocalTarget | ((dataPort: number) => LocalTarget | undefined);
  logger?: Logger;
  mux?: Pick<MuxOptions, 'pingIntervalMs' | 'deadAfterMs' | 'dialTimeoutMs' | 'closeTimeoutMs'> & { handshakeTimeoutMs?: number };
  portForward?: PortForwardOptions;
  backoff?: Partial<BackoffOptions>;
  sleepWatch?: SleepWatchOptions;
  /** How often stats are reported while connected (default 1 s). */
  statsIntervalMs?: number;
  /** How long an outbound connection waits for a tunnel that is down (default 10 s). */
  waitForTunnelMs?: number;
}

/** A listening outbound forward; disposing it closes the listener and its connections. */
export interface ForwardHandle extends Disposable {
  readonly localPort: number;
  readonly localAddress: string;
  readonly remoteHost: string;
  readonly remotePort: number;
}

interface Live {
  mux: Mux;
  pod: RelayPodRef;
}

export class TunnelSession implements Disposable {
  private readonly lifetime = new AbortController();
  private readonly stateEmitter = new Emitter<TunnelState>();
  private readonly statsEmitter = new Emitter<TunnelStats>();
  private readonly dropEmitter = new Emitter<DropReason>();
  private readonly localProblemEmitter = new Emitter<LocalProblem>();
  private readonly forwardFailedEmitter = new Emitter<{ host: string; port: number; error: Error }>();
  private readonly connectedEmitter = new Emitter<Mux>();
  private readonly forwards = new Set<LocalForward>();
  private readonly failingTargets = new Set<string>();
  private readonly sleep: SleepWatch;
  private readonly backoff: Backoff;
  private readonly logger: Logger;
  private current: TunnelState = { phase: 'connecting' };
  private live: Live | undefined;
  private totals = { bytesIn: 0, bytesOut: 0, inboundServed: 0, inboundRefused: 0 };
  private started = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private wakeRetry: (() => void) | undefined;

  readonly onDidChangeState = this.stateEmitter.event;
  readonly onStats = this.statsEmitter.event;
  /** A live connection dropped; the session is already reconnecting. */
  readonly onDrop = this.dropEmitter.event;
  /** Inbound traffic could not reach the local process; fired once until a connection succeeds again. */
  readonly onLocalProblem = this.localProblemEmitter.event;
  readonly onForwardFailed = this.forwardFailedEmitter.event;

  constructor(private readonly options: TunnelSessionOptions) {
    this.logger = options.logger ?? silentLogger;
    this.sleep = new SleepWatch(options.sleepWatch);
    this.backoff = new Backoff({ initialMs: 500, maxMs: 30_000, ...options.backoff });
  }

  get state(): TunnelState {
    return this.current;
  }

  /** Starts connecting; the session keeps the tunnel up until disposed. */
  start(): this {
    if (this.started || this.lifetime.signal.aborted) return this;
    this.started = true;
    void this.run();
    return this;
  }

  /** Resolves once connected; rejects when `signal` aborts, `timeoutMs` passes or the session stops. */
  whenConnected(timeoutMs = 30_000, signal?: AbortSignal): Promise<void> {
    return this.waitForMux(timeoutMs, signal).then(() => undefined);
  }

  /** Skips the current backoff wait and reconnects now (e.g. after the user fixed credentials). */
  retryNow(): void {
    this.wakeRetry?.();
  }

  /** Listens on 127.0.0.1:`localPort` (0 = free port); its connections dial `host:port` from the relay pod. */
  async open(host: string, port: number, localPort = 0): Promise<ForwardHandle> {
    if (this.lifetime.signal.aborted) throw new Error('The tunnel is stopped; start it again to open forwards.');
    const forward = await LocalForward.listen(host, port, (h, p, signal) => this.openStream(h, p, signal), { failed: (h, p, error) => this.forwardFailedEmitter.fire({ host: h, port: p, error }) }, localPort);
    if (this.lifetime.signal.aborted) {
      forward.dispose();
      throw new Error('The tunnel stopped while the forward was opening.');
    }
    this.forwards.add(forward);
    const forwards = this.forwards;
    return {
      localPort: forward.localPort,
      localAddress: forward.localAddress,
      remoteHost: host,
      remotePort: port,
      dispose() {
        forwards.delete(forward);
        forward.dispose();
      },
    };
  }

  get stats(): TunnelStats {
    const mux = this.live?.mux.stats;
    const stats: TunnelStats = {
      liveConnections: mux?.openStreams ?? 0,
      bytesIn: this.totals.bytesIn + (mux?.bytesIn ?? 0),
      bytesOut: this.totals.bytesOut + (mux?.bytesOut ?? 0),
      inboundServed: this.totals.inboundServed,
      inboundRefused: this.totals.inboundRefused,
      forwards: this.forwards.size,
    };
    if (mux?.rttMs !== undefined) stats.rttMs = mux.rttMs;
    return stats;
  }

  private setState(state: TunnelState): void {
    this.current = state;
    this.stateEmitter.fire(state);
  }

  private async run(): Promise<void> {
    const signal = this.lifetime.signal;
    while (!signal.aborted) {
      let reason: DropReason;
      try {
        const live = await this.connect(signal);
        reason = await this.serve(live);
        if (signal.aborted) break;
        this.logger.warn(`Tunnel dropped: ${reason.message}`);
        this.dropEmitter.fire(reason);
      } catch (err) {
        // Only this session's own stop ends the loop; any other failure is a reason to retry.
        if (signal.aborted) break;
        reason = err instanceof ConnectFailure ? err.reason : reasonFromError(err);
        this.logger.info(`Tunnel could not connect: ${reason.message}`);
      }
      const delay = this.backoff.next();
      this.setState({ phase: 'reconnecting', reason, attempt: this.backoff.attempt, retryInMs: delay });
      await this.waitBeforeRetry(delay);
      if (!signal.aborted) this.setState({ phase: 'connecting' });
    }
  }

  private waitBeforeRetry(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(this.retryTimer);
        this.retryTimer = undefined;
        this.wakeRetry = undefined;
        this.lifetime.signal.removeEventListener('abort', wake);
        resolve();
      };
      this.wakeRetry = wake;
      this.retryTimer = setTimeout(wake, ms);
      this.lifetime.signal.addEventListener('abort', wake, { once: true });
    });
  }

  private async connect(signal: AbortSignal): Promise<Live> {
    const { client, namespace, selector } = this.options;
    const lookup = await findRelayPod(client, namespace, selector, signal);
    if (!lookup.ready) throw new ConnectFailure(relayNotReady(lookup.why, lookup.stuck));
    const pod = lookup.ready;
    const connection = await openPortForward(client, namespace, pod.name, this.options.controlPort, signal, this.options.portForward);
    const { mux, welcome } = await connectExtension(connection, this.options.token, { ...this.options.mux, signal }).catch((err: unknown) => {
      connection.destroy();
      throw err;
    });
    if (signal.aborted) {
      mux.dispose();
      throw Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    }
    this.logger.info(`Tunnel connected to relay pod ${pod.name} (agent ${welcome.agentVersion}, data ports ${welcome.ports.join(', ') || 'none'})`);
    this.live = { mux, pod };
    this.setState({ phase: 'connected', pod: pod.name, agentVersion: welcome.agentVersion });
    this.connectedEmitter.fire(mux);
    return this.live;
  }

  /** Serves one live connection until it closes; returns why it closed. */
  private async serve(live: Live): Promise<DropReason> {
    const { mux, pod } = live;
    const streams = mux.onStream((stream, target) => this.inbound(stream, target));
    const stop = () => mux.dispose();
    const close = await new Promise<MuxCloseReason>((resolve) => {
      if (mux.isClosed) return resolve({ kind: 'transport' });
      mux.onClose(resolve);
      this.statsTimer = setInterval(() => this.statsEmitter.fire(this.stats), this.options.statsIntervalMs ?? 1_000);
      this.statsTimer.unref();
      this.lifetime.signal.addEventListener('abort', stop, { once: true });
    });
    this.lifetime.signal.removeEventListener('abort', stop);
    clearInterval(this.statsTimer);
    streams.dispose();
    const { bytesIn, bytesOut } = mux.stats;
    this.totals.bytesIn += bytesIn;
    this.totals.bytesOut += bytesOut;
    this.live = undefined;
    this.statsEmitter.fire(this.stats);
    if (this.lifetime.signal.aborted) return reasonFromClose(close);
    return this.explainDrop(close, pod);
  }

  /** Names the drop: a sleep, a replaced or restarted relay pod, an unreachable API server, or what the Mux saw. */
  private async explainDrop(close: MuxCloseReason, pod: RelayPodRef): Promise<DropReason> {
    const slept = this.sleep.recentSleep();
    if (slept) return computerSlept(slept.sleptForMs);
    const check = AbortSignal.any([this.lifetime.signal, AbortSignal.timeout(3_000)]);
    try {
      const change = await relayPodChange(this.options.client, this.options.namespace, pod, check);
      if (change) return relayRestarted(change);
    } catch (err) {
      if (!isCancellation(err)) return reasonFromError(err);
    }
    return reasonFromClose(close);
  }

  private localFor(dataPort: number): LocalTarget | undefined {
    const local = this.options.local;
    return typeof local === 'function' ? local(dataPort) : local;
  }

  private inbound(stream: MuxStream, target: OpenTarget): void {
    if (target.kind !== 'inbound') return stream.refuse('this end only accepts connections from in-cluster callers');
    const local = this.localFor(target.port);
    if (!local) return stream.refuse(`no local target is set for port ${target.port}`);
    stream.deferAccept();
    void dialLocal(local).then((result) => {
      const key = `${target.port}->${local.host}:${local.port}`;
      if (!result.ok) {
        this.totals.inboundRefused++;
        stream.refuse(result.message);
        if (!this.failingTargets.has(key)) {
          this.failingTargets.add(key);
          this.logger.warn(`In-cluster traffic on port ${target.port} could not be delivered: ${result.message}`);
          this.localProblemEmitter.fire({ dataPort: target.port, target: `${local.host}:${local.port}`, message: result.message });
        }
        return;
      }
      this.failingTargets.delete(key);
      if (stream.destroyed) return void result.socket.destroy();
      this.totals.inboundServed++;
      stream.accept();
      void joinStreams(stream, result.socket);
    });
  }

  /**
   * A connection to `host:port` dialled from the relay pod, writable at once: its first bytes go
   * out with the open (early data), so it costs one round trip. While the tunnel is down (the pod
   * starting or replaced) it waits up to `waitMs` for the reconnect, then fails with the reason.
   * `accepted` settles with the agent's answer; a refusal also fails the stream with the reason.
   */
  async openStream(host: string, port: number, signal?: AbortSignal, waitMs = this.options.waitForTunnelMs ?? 10_000): Promise<EarlyStream> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const mux = await this.waitForMux(Math.max(0, deadline - Date.now()), signal);
      try {
        return mux.openEarly({ kind: 'dial', host, port }, signal);
      } catch (err) {
        // The connection began closing in between (replaced, or dropped): wait for the next one.
        if (!(err instanceof StreamClosedError) || Date.now() >= deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  }

  private waitForMux(timeoutMs: number, signal?: AbortSignal): Promise<Mux> {
    const live = this.live;
    if (live && live.mux.isOpen) return Promise.resolve(live.mux);
    if (signal?.aborted) return Promise.reject(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }));
    return new Promise<Mux>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        sub.dispose();
        signal?.removeEventListener('abort', onAbort);
        this.lifetime.signal.removeEventListener('abort', onStop);
      };
      const sub = this.connectedEmitter.event((mux) => {
        cleanup();
        resolve(mux);
      });
      const timer = setTimeout(() => {
        cleanup();
        const reason = this.current.phase === 'reconnecting' ? this.current.reason : undefined;
        reject(new TunnelUnavailableError(`The tunnel is not connected (${reason ? reason.message : this.current.phase}); gave up after ${Math.round(timeoutMs / 1000)} s.`, reason));
      }, timeoutMs);
      const onAbort = () => {
        cleanup();
        reject(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }));
      };
      const onStop = () => {
        cleanup();
        reject(new Error('The tunnel was stopped.'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.lifetime.signal.addEventListener('abort', onStop, { once: true });
    });
  }

  /** Closes the connection, every forward and timer. Cluster objects stay: see relayDeploy.stopTunnel. */
  dispose(): void {
    if (this.lifetime.signal.aborted) return;
    this.lifetime.abort();
    clearTimeout(this.retryTimer);
    clearInterval(this.statsTimer);
    this.live?.mux.dispose();
    this.live = undefined;
    for (const forward of this.forwards) forward.dispose();
    this.forwards.clear();
    this.sleep.dispose();
    this.setState({ phase: 'stopped' });
    for (const emitter of [this.stateEmitter, this.statsEmitter, this.dropEmitter, this.localProblemEmitter, this.forwardFailedEmitter, this.connectedEmitter]) {
      (emitter as Emitter<unknown>).dispose();
    }
  }
}

/** The tunnel was down for longer than a connection could wait; `reason` is why, when known. */
export class TunnelUnavailableError extends Error {
  override readonly name = 'TunnelUnavailableError';
  constructor(
    message: string,
    readonly reason: DropReason | undefined,
  ) {
    super(message);
  }
}

/** A connect attempt that failed for a reason already in words. */
class ConnectFailure extends Error {
  constructor(readonly reason: DropReason) {
    super(reason.message);
  }
}
