/**
 * Streams over one connection: opened from either side, per-stream credit flow control with
 * window auto-tuning, half-close, reset, ping/pong with RTT, dead-peer detection, a cap on
 * buffered memory and a deadline on every open and close. The Mux owns its connection.
 */
import type { Duplex } from 'node:stream';
import { Emitter, type Disposable } from '../lifecycle';
import { FrameDecoder, ProtocolError, describeTarget, encodeDataHeader, encodeFrame, type Frame, type OpenFrame, type OpenTarget } from './protocol';
import { MuxStream, StreamClosedError, type StreamHost } from './muxStream';

export { MuxStream, StreamClosedError } from './muxStream';

export interface MuxOptions {
  /** Receive window each stream starts with (default 256 KiB). */
  initialWindow?: number;
  /** Largest receive window a fast stream grows to (default 16 MiB). */
  maxWindow?: number;
  /** Cap on the receive windows granted across all streams, i.e. on buffered memory (default 64 MiB). */
  maxBufferedBytes?: number;
  /** Deadline for the peer to accept or refuse a stream (default 10 s). */
  dialTimeoutMs?: number;
  /** Deadline for a graceful close before the connection is destroyed (default 5 s). */
  closeTimeoutMs?: number;
  /** How often to ping (default 5 s). */
  pingIntervalMs?: number;
  /** Silence after which the peer counts as dead (default 15 s). */
  deadAfterMs?: number;
  /** Which end this is; the two ends number their streams apart (default 'extension'). */
  side?: 'extension' | 'agent';
}

export type MuxCloseReason =
  | { kind: 'goaway'; reason: string }
  | { kind: 'dead'; silentForMs: number }
  | { kind: 'transport'; error?: Error }
  | { kind: 'protocol'; error: Error }
  | { kind: 'local'; reason: string };

export interface MuxStats {
  openStreams: number;
  bytesIn: number;
  bytesOut: number;
  rttMs?: number;
  bufferedBytes: number;
}

const MIN_WINDOW = 16 * 1024;

/** A close reason in words, for errors and logs. */
export function describeCloseReason(reason: MuxCloseReason): string {
  switch (reason.kind) {
    case 'goaway':
      return `the other end closed the tunnel: ${reason.reason}`;
    case 'dead':
      return `the other end went silent for ${Math.round(reason.silentForMs / 1000)} s (missed pings)`;
    case 'transport':
      return reason.error ? `the connection failed: ${reason.error.message}` : 'the connection was closed';
    case 'protocol':
      return `the other end broke the protocol: ${reason.error.message}`;
    case 'local':
      return reason.reason;
  }
}

interface PendingOpen {
  resolve(stream: MuxStream): void;
  reject(error: Error): void;
  cleanup(): void;
}

export class Mux implements Disposable {
  private readonly options: Required<MuxOptions>;
  private readonly streams = new Map<number, MuxStream>();
  private readonly pendingOpens = new Map<number, PendingOpen>();
  private readonly acceptTimers = new Map<number, NodeJS.Timeout>();
  private readonly pings = new Map<number, { sentAt: number; resolve(ms: number): void; reject(error: Error): void }>();
  private readonly drainWaiters = new Set<MuxStream>();
  private readonly decoder = new FrameDecoder();
  private readonly streamEmitter = new Emitter<{ stream: MuxStream; target: OpenTarget }>();
  private readonly closeEmitter = new Emitter<MuxCloseReason>();
  private readonly host: StreamHost;
  private outQueue: Buffer[] = [];
  private flushScheduled = false;
  private congested = false;
  private nextStreamId: number;
  private nextPingId = 1;
  private lastHeardAt = performance.now();
  private lastPingAt = 0;
  private windowsGranted = 0;
  private bufferedBytes = 0;
  private bytesIn = 0;
  private bytesOut = 0;
  private rttMs: number | undefined;
  private state: 'open' | 'draining' | 'closed' = 'open';
  private drainReason: MuxCloseReason | undefined;
  private closeTimer: NodeJS.Timeout | undefined;
  private readonly tickTimer: NodeJS.Timeout;
  private readonly detach: () => void;

  readonly onStream = (handler: (stream: MuxStream, target: OpenTarget) => void): Disposable =>
    this.streamEmitter.event(({ stream, target }) => handler(stream, target));
  readonly onClose = this.closeEmitter.event;

  constructor(
    private readonly connection: Duplex,
    options: MuxOptions = {},
  ) {
    this.options = {
      initialWindow: options.initialWindow ?? 256 * 1024,
      maxWindow: options.maxWindow ?? 16 * 1024 * 1024,
      maxBufferedBytes: options.maxBufferedBytes ?? 64 * 1024 * 1024,
      dialTimeoutMs: options.dialTimeoutMs ?? 10_000,
      closeTimeoutMs: options.closeTimeoutMs ?? 5_000,
      pingIntervalMs: options.pingIntervalMs ?? 5_000,
      deadAfterMs: options.deadAfterMs ?? 15_000,
      side: options.side ?? 'extension',
    };
    this.nextStreamId = this.options.side === 'extension' ? 1 : 2;
    this.host = this.createHost();
    const onData = (chunk: Buffer) => this.receive(chunk);
    const onEnd = () => this.terminate(this.state === 'draining' ? this.drainReason! : { kind: 'transport' });
    const onError = (error: Error) => this.terminate({ kind: 'transport', error });
    const onDrain = () => this.drained();
    connection.on('data', onData);
    connection.on('end', onEnd);
    connection.on('close', onEnd);
    connection.on('error', onError);
    connection.on('drain', onDrain);
    this.detach = () => {
      connection.off('data', onData);
      connection.off('end', onEnd);
      connection.off('close', onEnd);
      connection.off('drain', onDrain);
      // Keep an error listener: a late socket error must not crash the process.
      connection.off('error', onError);
      connection.on('error', () => undefined);
    };
    const tickEvery = Math.max(10, Math.min(this.options.pingIntervalMs, this.options.deadAfterMs / 3));
    this.tickTimer = setInterval(() => this.tick(), tickEvery);
    this.ping().catch(() => undefined); // learn the RTT early, it tunes the windows
    connection.resume();
  }

  get stats(): MuxStats {
    return { openStreams: this.streams.size, bytesIn: this.bytesIn, bytesOut: this.bytesOut, rttMs: this.rttMs, bufferedBytes: this.bufferedBytes };
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  /** Opens a stream to `target`; resolves once the peer accepts, rejects on refusal, deadline or abort. */
  open(target: OpenTarget, signal?: AbortSignal): Promise<MuxStream> {
    if (this.state !== 'open') return Promise.reject(this.unavailable(`open a stream to ${describeTarget(target)}`));
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    if (this.nextStreamId > 0xffffffff) this.close('stream ids exhausted; reconnect to continue');
    const window = this.grantInitialWindow();
    const stream = new MuxStream(this.host, id, target, 'opening', 0, window);
    this.streams.set(id, stream);
    this.writeFrame({ type: 'open', stream: id, target, window });
    return new Promise<MuxStream>((resolve, reject) => {
      const fail = (error: Error, reason: string) => {
        this.pendingOpens.get(id)?.cleanup();
        stream.reset(reason);
        reject(error);
      };
      const timer = setTimeout(
        () =>
          fail(
            new Error(`Opening a stream to ${describeTarget(target)} timed out after ${this.options.dialTimeoutMs} ms: the relay did not answer. The tunnel may be overloaded or the target slow to connect; try again.`),
            'open timed out',
          ),
        this.options.dialTimeoutMs,
      );
      const onAbort = () => fail(abortError(signal!), 'open cancelled');
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pendingOpens.set(id, {
        resolve,
        reject,
        cleanup: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          this.pendingOpens.delete(id);
        },
      });
    });
  }

  /** Round-trip time to the peer in milliseconds. */
  ping(): Promise<number> {
    if (this.state === 'closed') return Promise.reject(this.unavailable('ping'));
    const id = this.nextPingId;
    this.nextPingId = this.nextPingId >= 0xffffffff ? 1 : this.nextPingId + 1;
    this.lastPingAt = performance.now();
    return new Promise<number>((resolve, reject) => {
      this.pings.set(id, { sentAt: performance.now(), resolve, reject });
      this.writeFrame({ type: 'ping', id });
    });
  }

  /** Says goaway, lets open streams finish, and destroys the connection after closeTimeoutMs at the latest. */
  close(reason: string): void {
    if (this.state !== 'open') return;
    this.writeFrame({ type: 'goaway', reason });
    this.drain({ kind: 'local', reason });
  }

  /** Tears down at once; open streams close without an error (cancellation is quiet). */
  dispose(): void {
    this.terminate({ kind: 'local', reason: 'the tunnel was closed' }, true, true);
  }

  private drain(reason: MuxCloseReason): void {
    this.state = 'draining';
    this.drainReason = reason;
    for (const [id, pending] of [...this.pendingOpens]) {
      pending.cleanup();
      pending.reject(this.unavailable('open a stream'));
      this.streams.get(id)?.abort(this.unavailable('open a stream'));
    }
    if (this.streams.size === 0) {
      this.terminate(reason);
      return;
    }
    this.closeTimer = setTimeout(() => this.terminate(reason), this.options.closeTimeoutMs);
  }

  private unavailable(what: string): Error {
    const reason = this.drainReason ?? this.closedReason;
    return new StreamClosedError(`Cannot ${what}: the tunnel is ${this.state === 'closed' ? 'closed' : 'closing'}${reason ? ` (${describeCloseReason(reason)})` : ''}.`, 'TUNNEL_CLOSED');
  }

  private closedReason: MuxCloseReason | undefined;

  private terminate(reason: MuxCloseReason, immediately = false, quiet = false): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closedReason = reason;
    clearInterval(this.tickTimer);
    clearTimeout(this.closeTimer);
    for (const timer of this.acceptTimers.values()) clearTimeout(timer);
    this.acceptTimers.clear();
    const error = new StreamClosedError(`The tunnel closed: ${describeCloseReason(reason)}.`, 'TUNNEL_CLOSED');
    for (const pending of [...this.pendingOpens.values()]) {
      pending.cleanup();
      pending.reject(error);
    }
    for (const ping of this.pings.values()) ping.reject(error);
    this.pings.clear();
    for (const stream of [...this.streams.values()]) stream.abort(quiet ? undefined : error);
    this.streams.clear();
    this.drainWaiters.clear();
    this.detach();
    const graceful = !immediately && (reason.kind === 'local' || reason.kind === 'goaway') && !this.connection.destroyed;
    if (graceful) {
      this.flush();
      const force = setTimeout(() => this.connection.destroy(), this.options.closeTimeoutMs);
      force.unref();
      this.connection.once('close', () => clearTimeout(force));
      this.connection.end(() => this.connection.destroy());
    } else {
      this.outQueue = [];
      this.connection.destroy();
    }
    this.streamEmitter.dispose();
    this.closeEmitter.fire(reason);
    this.closeEmitter.dispose();
  }

  private tick(): void {
    const now = performance.now();
    const silentForMs = now - this.lastHeardAt;
    if (silentForMs >= this.options.deadAfterMs) {
      this.terminate({ kind: 'dead', silentForMs });
      return;
    }
    if (now - this.lastPingAt >= this.options.pingIntervalMs) this.ping().catch(() => undefined);
  }

  private receive(chunk: Buffer): void {
    this.bytesIn += chunk.length;
    this.lastHeardAt = performance.now();
    let frames: Frame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      const error = err instanceof Error ? err : new ProtocolError(String(err));
      if (this.state !== 'closed') this.writeFrame({ type: 'goaway', reason: `protocol error: ${error.message}` });
      this.flush();
      this.terminate({ kind: 'protocol', error }, true);
      return;
    }
    for (const frame of frames) {
      if (this.state === 'closed') return;
      this.dispatch(frame);
    }
  }

  private dispatch(frame: Frame): void {
    switch (frame.type) {
      case 'data':
        this.streams.get(frame.stream)?.onData(frame.payload);
        return;
      case 'credit':
        this.streams.get(frame.stream)?.onCredit(frame.bytes);
        return;
      case 'fin':
        this.streams.get(frame.stream)?.onFin();
        return;
      case 'open':
        this.incoming(frame);
        return;
      case 'accept': {
        const pending = this.pendingOpens.get(frame.stream);
        const stream = this.streams.get(frame.stream);
        if (!pending || !stream) return;
        pending.cleanup();
        stream.opened(frame.window);
        pending.resolve(stream);
        return;
      }
      case 'refuse': {
        const pending = this.pendingOpens.get(frame.stream);
        const stream = this.streams.get(frame.stream);
        if (!pending || !stream) return;
        pending.cleanup();
        stream.abort(new StreamClosedError(`refused: ${frame.reason}`, 'PEER_RESET'));
        pending.reject(new Error(`The relay could not open a stream to ${describeTarget(stream.target)}: ${frame.reason}`));
        return;
      }
      case 'reset': {
        const pending = this.pendingOpens.get(frame.stream);
        if (pending) {
          pending.cleanup();
          pending.reject(new Error(`The relay reset the stream to ${describeTarget(this.streams.get(frame.stream)!.target)} before accepting it: ${frame.reason}`));
        }
        this.streams.get(frame.stream)?.onReset(frame.reason);
        return;
      }
      case 'ping':
        this.writeFrame({ type: 'pong', id: frame.id });
        return;
      case 'pong': {
        const ping = this.pings.get(frame.id);
        if (!ping) return;
        this.pings.delete(frame.id);
        const ms = performance.now() - ping.sentAt;
        this.rttMs = this.rttMs === undefined ? ms : this.rttMs * 0.75 + ms * 0.25;
        ping.resolve(ms);
        return;
      }
      case 'goaway':
        if (this.state === 'open') this.drain({ kind: 'goaway', reason: frame.reason });
        else if (this.drainReason?.kind === 'local') this.terminate({ kind: 'goaway', reason: frame.reason });
        return;
      case 'hello':
      case 'welcome':
        this.writeFrame({ type: 'goaway', reason: `unexpected ${frame.type} frame after the handshake` });
        this.flush();
        this.terminate({ kind: 'protocol', error: new ProtocolError(`unexpected ${frame.type} frame after the handshake`) }, true);
        return;
    }
  }

  private incoming(frame: OpenFrame): void {
    const ours = frame.stream % 2 === (this.options.side === 'extension' ? 1 : 0);
    let refusal: string | undefined;
    if (frame.stream === 0 || ours) refusal = `stream id ${frame.stream} belongs to the other side`;
    else if (this.streams.has(frame.stream)) refusal = `stream id ${frame.stream} is already in use`;
    else if (this.state !== 'open') refusal = 'the tunnel is closing';
    else if (!this.streamEmitter.hasListeners) refusal = 'nothing is listening for new streams on this side';
    if (refusal) {
      this.writeFrame({ type: 'refuse', stream: frame.stream, reason: refusal });
      return;
    }
    const stream = new MuxStream(this.host, frame.stream, frame.target, 'awaiting-accept', frame.window, this.grantInitialWindow());
    this.streams.set(frame.stream, stream);
    try {
      this.streamEmitter.fire({ stream, target: frame.target });
    } catch (err) {
      stream.refuse(`the handler failed: ${(err as Error).message}`);
      return;
    }
    if (!stream.isDeferred) stream.accept();
    else if (stream.state === 'awaiting-accept') {
      const timer = setTimeout(() => {
        this.acceptTimers.delete(frame.stream);
        stream.refuse(`not accepted within ${this.options.dialTimeoutMs} ms`);
      }, this.options.dialTimeoutMs);
      this.acceptTimers.set(frame.stream, timer);
    }
  }

  private grantInitialWindow(): number {
    const room = this.options.maxBufferedBytes - this.windowsGranted;
    const window = Math.max(MIN_WINDOW, Math.min(this.options.initialWindow, room));
    this.windowsGranted += window;
    return window;
  }

  private createHost(): StreamHost {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const mux = this;
    return {
      writeFrame: (frame) => this.writeFrame(frame),
      writeData: (stream, payload) => {
        this.enqueue(encodeDataHeader(stream, payload.length));
        this.enqueue(payload);
      },
      get congested() {
        return mux.congested;
      },
      waitForDrain: (stream) => this.drainWaiters.add(stream),
      windowGrowth: (stream, elapsedMs) => {
        const fastEnough = elapsedMs < Math.max(4 * (this.rttMs ?? 5), 10);
        if (!fastEnough || stream.recvWindow >= this.options.maxWindow) return 0;
        const growth = Math.min(stream.recvWindow, this.options.maxWindow - stream.recvWindow, this.options.maxBufferedBytes - this.windowsGranted);
        if (growth <= 0) return 0;
        this.windowsGranted += growth;
        return growth;
      },
      adjustBuffered: (delta) => {
        this.bufferedBytes += delta;
      },
      accept: (stream) => {
        this.clearAcceptTimer(stream.id);
        this.writeFrame({ type: 'accept', stream: stream.id, window: stream.recvWindow });
      },
      refuse: (stream, reason) => {
        this.clearAcceptTimer(stream.id);
        this.writeFrame({ type: 'refuse', stream: stream.id, reason });
      },
      released: (stream) => {
        if (this.streams.get(stream.id) !== stream) return;
        this.streams.delete(stream.id);
        this.drainWaiters.delete(stream);
        this.clearAcceptTimer(stream.id);
        this.windowsGranted -= stream.recvWindow;
        if (this.state === 'draining' && this.streams.size === 0) this.terminate(this.drainReason!);
      },
    };
  }

  private clearAcceptTimer(id: number): void {
    const timer = this.acceptTimers.get(id);
    if (timer) clearTimeout(timer);
    this.acceptTimers.delete(id);
  }

  private writeFrame(frame: Frame): void {
    if (this.state === 'closed') return;
    this.enqueue(encodeFrame(frame));
  }

  private enqueue(buffer: Buffer): void {
    if (this.state === 'closed' && buffer.length) return;
    this.outQueue.push(buffer);
    this.bytesOut += buffer.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Writes everything queued in one corked batch (one writev on a socket). */
  private flush(): void {
    this.flushScheduled = false;
    const queue = this.outQueue;
    if (queue.length === 0 || this.connection.destroyed || this.connection.writableEnded) return;
    this.outQueue = [];
    let ok = true;
    if (queue.length === 1) ok = this.connection.write(queue[0]);
    else {
      this.connection.cork();
      for (const buffer of queue) ok = this.connection.write(buffer);
      this.connection.uncork();
    }
    if (!ok) this.congested = true;
  }

  private drained(): void {
    this.congested = false;
    const waiters = [...this.drainWaiters];
    this.drainWaiters.clear();
    for (const stream of waiters) {
      if (this.congested) {
        this.drainWaiters.add(stream);
        continue;
      }
      stream.flushWrite();
    }
  }
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException('The operation was aborted', 'AbortError');
}
