/**
 * Streams over one connection: opened from either side, per-stream credit flow control with
 * window auto-tuning, half-close, reset, ping/pong with RTT, dead-peer detection, a cap on
 * buffered memory and a deadline on every open and close. The Mux owns its connection.
 */
import type { Duplex } from 'node:stream';
import { unrefTimer } from '../kube/clock';
import { Emitter, type Disposable } from '../lifecycle';
import { Liveness } from './muxLiveness';
import { describeCloseReason, resolveMuxOptions, type MuxCloseReason, type MuxOptions, type MuxStats } from './muxOptions';
import { MuxStream, StreamClosedError, type StreamHost } from './muxStream';
import { FrameWriter } from './muxWriter';
import { abortError, PendingOpens } from './muxOpens';
import { ProtocolError } from './codec';
import { FrameDecoder } from './codecDecode';
import { describeTarget, EARLY_DATA_WINDOW, type Frame, type OpenFrame, type OpenTarget } from './protocol';

export { MuxStream, StreamClosedError } from './muxStream';
export { describeCloseReason, type MuxCloseReason, type MuxOptions, type MuxStats } from './muxOptions';

/** Every window holds at least the early data an opener may send before the answer. */
const MIN_WINDOW = EARLY_DATA_WINDOW;


export class Mux implements Disposable {
  private readonly options: Required<MuxOptions>;
  private readonly streams = new Map<number, MuxStream>();
  private readonly pendingOpens: PendingOpens;
  private readonly acceptTimers = new Map<number, unknown>();
  /** Streams the peer opened while no onStream handler was registered. */
  private readonly unclaimed = new Set<MuxStream>();
  private readonly decoder = new FrameDecoder();
  private readonly writer: FrameWriter;
  private readonly liveness: Liveness;
  private readonly streamEmitter = new Emitter<{ stream: MuxStream; target: OpenTarget }>();
  private readonly closeEmitter = new Emitter<MuxCloseReason>();
  private readonly host: StreamHost;
  private nextStreamId: number;
  private windowsGranted = 0;
  private bufferedBytes = 0;
  private bytesIn = 0;
  private state: 'open' | 'draining' | 'closed' = 'open';
  private drainReason: MuxCloseReason | undefined;
  private closedReason: MuxCloseReason | undefined;
  private closeTimer: unknown;
  private readonly detach: () => void;

  /**
   * Streams the peer opens. Streams that arrive before any handler is registered wait for one
   * (up to dialTimeoutMs), so registering right after the handshake loses nothing.
   */
  readonly onStream = (handler: (stream: MuxStream, target: OpenTarget) => void): Disposable => {
    const subscription = this.streamEmitter.event(({ stream, target }) => handler(stream, target));
    if (this.unclaimed.size > 0) queueMicrotask(() => this.claimWaiting());
    return subscription;
  };
  readonly onClose = this.closeEmitter.event;

  constructor(
    private readonly connection: Duplex,
    options: MuxOptions = {},
  ) {
    this.options = resolveMuxOptions(options);
    this.pendingOpens = new PendingOpens(this.options.dialTimeoutMs, this.options.clock);
    this.writer = new FrameWriter(connection);
    this.liveness = new Liveness(
      this.options,
      (id) => this.writeFrame({ type: 'ping', id }),
      (silentForMs) => this.terminate({ kind: 'dead', silentForMs }),
    );
    this.nextStreamId = this.options.side === 'extension' ? 1 : 2;
    this.host = this.createHost();
    const onData = (chunk: Buffer) => this.receive(chunk);
    const onEnd = () => this.terminate(this.state === 'draining' ? this.drainReason! : { kind: 'transport' });
    const onError = (error: Error) => this.terminate({ kind: 'transport', error });
    connection.on('data', onData);
    connection.on('end', onEnd);
    connection.on('close', onEnd);
    connection.on('error', onError);
    this.detach = () => {
      connection.off('data', onData);
      connection.off('end', onEnd);
      connection.off('close', onEnd);
      // Keep an error listener: a late socket error must not crash the process.
      connection.off('error', onError);
      connection.on('error', () => undefined);
    };
    this.ping().catch(() => undefined); // learn the RTT early, it tunes the windows
    connection.resume();
  }

  get stats(): MuxStats {
    return { openStreams: this.streams.size, bytesIn: this.bytesIn, bytesOut: this.writer.bytesOut, rttMs: this.liveness.rttMs, bufferedBytes: this.bufferedBytes };
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  /** New streams can be opened: neither closing nor closed. */
  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Opens a stream to `target`; resolves once the peer accepts, rejects on refusal, deadline or abort. */
  open(target: OpenTarget, signal?: AbortSignal): Promise<MuxStream> {
    if (this.state !== 'open') return Promise.reject(this.unavailable(`open a stream to ${describeTarget(target)}`));
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return this.start(target, signal).accepted;
  }

  /**
   * Opens a stream that can be written at once: its first EARLY_DATA_WINDOW bytes go out with the
   * open, before the peer answers, so a new connection costs one round trip instead of two.
   * `accepted` settles with the answer; a refusal, the deadline, an abort or a lost tunnel before
   * it also destroys the stream with that error. Throws when the tunnel is closing.
   */
  openEarly(target: OpenTarget, signal?: AbortSignal): { stream: MuxStream; accepted: Promise<MuxStream> } {
    if (this.state !== 'open') throw this.unavailable(`open a stream to ${describeTarget(target)}`);
    if (signal?.aborted) throw abortError(signal);
    const opened = this.start(target, signal);
    opened.stream.failsLoudly = true;
    opened.accepted.catch(() => undefined); // the stream reports it too
    return opened;
  }

  private start(target: OpenTarget, signal: AbortSignal | undefined): { stream: MuxStream; accepted: Promise<MuxStream> } {
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    if (this.nextStreamId > 0xffffffff) this.close('stream ids exhausted; reconnect to continue');
    const window = this.grantInitialWindow();
    const stream = new MuxStream(this.host, id, target, 'opening', EARLY_DATA_WINDOW, window);
    this.streams.set(id, stream);
    this.writeFrame({ type: 'open', stream: id, target, window });
    const accepted = this.pendingOpens.wait(stream, signal, (error, reason) => stream.reset(reason, stream.failsLoudly ? error : undefined));
    return { stream, accepted };
  }

  /** Round-trip time to the peer in milliseconds. */
  ping(): Promise<number> {
    if (this.state === 'closed') return Promise.reject(this.unavailable('ping'));
    return this.liveness.ping();
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
    for (const stream of this.pendingOpens.failAll(this.unavailable('open a stream'))) stream.abort(this.unavailable('open a stream'));
    if (this.streams.size === 0) {
      this.terminate(reason);
      return;
    }
    this.closeTimer = this.options.clock.setTimeout(() => this.terminate(reason), this.options.closeTimeoutMs);
  }

  private unavailable(what: string): Error {
    const reason = this.drainReason ?? this.closedReason;
    return new StreamClosedError(`Cannot ${what}: the tunnel is ${this.state === 'closed' ? 'closed' : 'closing'}${reason ? ` (${describeCloseReason(reason)})` : ''}.`, 'TUNNEL_CLOSED');
  }

  private terminate(reason: MuxCloseReason, immediately = false, quiet = false): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closedReason = reason;
    this.options.clock.clearTimeout(this.closeTimer);
    for (const timer of this.acceptTimers.values()) this.options.clock.clearTimeout(timer);
    this.acceptTimers.clear();
    const error = new StreamClosedError(`The tunnel closed: ${describeCloseReason(reason)}.`, 'TUNNEL_CLOSED');
    this.pendingOpens.failAll(error);
    this.liveness.fail(error);
    for (const stream of [...this.streams.values()]) stream.abort(quiet ? undefined : error);
    this.streams.clear();
    this.unclaimed.clear();
    this.detach();
    const graceful = !immediately && (reason.kind === 'local' || reason.kind === 'goaway') && !this.connection.destroyed;
    this.writer.dispose(!graceful);
    if (graceful) {
      const force = this.options.clock.setTimeout(() => this.connection.destroy(), this.options.closeTimeoutMs);
      unrefTimer(force);
      this.connection.once('close', () => this.options.clock.clearTimeout(force));
      this.connection.end(() => this.connection.destroy());
    } else this.connection.destroy();
    this.streamEmitter.dispose();
    this.closeEmitter.fire(reason);
    this.closeEmitter.dispose();
  }

  private receive(chunk: Buffer): void {
    this.bytesIn += chunk.length;
    this.liveness.heard();
    let frames: Frame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      const error = err instanceof Error ? err : new ProtocolError(String(err));
      this.writeFrame({ type: 'goaway', reason: `protocol error: ${error.message}` });
      this.writer.flush();
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
        const stream = this.pendingOpens.get(frame.stream);
        if (!stream || this.streams.get(frame.stream) !== stream) return;
        stream.opened(frame.window);
        this.pendingOpens.settle(frame.stream);
        return;
      }
      case 'refuse': {
        const stream = this.pendingOpens.get(frame.stream);
        if (!stream || this.streams.get(frame.stream) !== stream) return;
        const error = new StreamClosedError(`The relay could not open a stream to ${describeTarget(stream.target)}: ${frame.reason}`, 'REFUSED');
        this.pendingOpens.settle(frame.stream, error);
        stream.abort(error);
        return;
      }
      case 'reset': {
        const stream = this.pendingOpens.get(frame.stream);
        if (stream) this.pendingOpens.settle(frame.stream, new Error(`The relay reset the stream to ${describeTarget(stream.target)} before accepting it: ${frame.reason}`));
        this.streams.get(frame.stream)?.onReset(frame.reason);
        return;
      }
      case 'ping':
        this.writeFrame({ type: 'pong', id: frame.id });
        return;
      case 'pong':
        this.liveness.pong(frame.id);
        return;
      case 'goaway':
        if (this.state === 'open') this.drain({ kind: 'goaway', reason: frame.reason });
        else if (this.drainReason?.kind === 'local') this.terminate({ kind: 'goaway', reason: frame.reason });
        return;
      case 'hello':
      case 'welcome':
        this.writeFrame({ type: 'goaway', reason: `unexpected ${frame.type} frame after the handshake` });
        this.writer.flush();
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
    if (refusal) {
      this.writeFrame({ type: 'refuse', stream: frame.stream, reason: refusal });
      return;
    }
    const stream = new MuxStream(this.host, frame.stream, frame.target, 'awaiting-accept', frame.window, this.grantInitialWindow());
    this.streams.set(frame.stream, stream);
    if (this.streamEmitter.hasListeners) this.offer(stream);
    else {
      this.unclaimed.add(stream);
      this.refuseLater(stream, `nothing took the stream within ${this.options.dialTimeoutMs} ms: nothing is listening for new streams on this side`);
    }
  }

  private claimWaiting(): void {
    for (const stream of [...this.unclaimed]) {
      if (!this.streamEmitter.hasListeners) return;
      this.unclaimed.delete(stream);
      this.clearAcceptTimer(stream.id);
      if (stream.state === 'awaiting-accept') this.offer(stream);
    }
  }

  /** Hands a stream the peer opened to the handlers; accepts it unless one deferred the answer. */
  private offer(stream: MuxStream): void {
    try {
      this.streamEmitter.fire({ stream, target: stream.target });
    } catch (err) {
      stream.refuse(`the handler failed: ${(err as Error).message}`);
      return;
    }
    if (!stream.isDeferred) stream.accept();
    else if (stream.state === 'awaiting-accept') this.refuseLater(stream, `not accepted within ${this.options.dialTimeoutMs} ms`);
  }

  private refuseLater(stream: MuxStream, reason: string): void {
    const timer = this.options.clock.setTimeout(() => {
      this.acceptTimers.delete(stream.id);
      this.unclaimed.delete(stream);
      stream.refuse(reason);
    }, this.options.dialTimeoutMs);
    this.acceptTimers.set(stream.id, timer);
  }

  private grantInitialWindow(): number {
    const room = this.options.maxBufferedBytes - this.windowsGranted;
    const window = Math.max(MIN_WINDOW, Math.min(this.options.initialWindow, room));
    this.windowsGranted += window;
    return window;
  }

  private createHost(): StreamHost {
    const writer = this.writer;
    return {
      writeFrame: (frame) => this.writeFrame(frame),
      writeData: (stream, payload) => writer.writeData(stream, payload),
      get congested() {
        return writer.congested;
      },
      waitForDrain: (stream) => writer.waitForDrain(stream),
      windowGrowth: (stream, elapsedMs) => {
        const fastEnough = elapsedMs < Math.max(4 * (this.liveness.rttMs ?? 5), 10);
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
        // Closed by this side before the peer answered: nobody waits for that answer any more.
        if (this.pendingOpens.get(stream.id) === stream) this.pendingOpens.settle(stream.id, new StreamClosedError(`The stream to ${describeTarget(stream.target)} was closed before the relay answered`, 'TUNNEL_CLOSED'));
        this.streams.delete(stream.id);
        writer.forget(stream);
        this.unclaimed.delete(stream);
        this.clearAcceptTimer(stream.id);
        this.windowsGranted -= stream.recvWindow;
        if (this.state === 'draining' && this.streams.size === 0) this.terminate(this.drainReason!);
      },
    };
  }

  private clearAcceptTimer(id: number): void {
    const timer = this.acceptTimers.get(id);
    if (timer) this.options.clock.clearTimeout(timer);
    this.acceptTimers.delete(id);
  }

  private writeFrame(frame: Frame): void {
    if (this.state !== 'closed') this.writer.writeFrame(frame);
  }
}
