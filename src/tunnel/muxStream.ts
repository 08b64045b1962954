/**
 * One stream of a Mux: a node Duplex whose writes become data frames within the peer's credit,
 * and whose reads come from data frames within the window this side granted. Backpressure is the
 * Duplex's own: _write calls back only once the chunk went out, _read pulls from the receive queue
 * and credit is returned as the reader consumes.
 */
import { Duplex } from 'node:stream';
import { MAX_DATA_PAYLOAD } from './codec';
import { describeTarget, type Frame, type OpenTarget } from './protocol';

/** What a stream needs from its Mux. */
export interface StreamHost {
  writeFrame(frame: Frame): void;
  writeData(stream: number, payload: Buffer): void;
  /** True while the connection asks writers to wait for 'drain'. */
  readonly congested: boolean;
  waitForDrain(stream: MuxStream): void;
  /** Bytes to add to the receive window of a stream whose reader keeps up; 0 to keep it. */
  windowGrowth(stream: MuxStream, elapsedMs: number): number;
  adjustBuffered(delta: number): void;
  accept(stream: MuxStream): void;
  refuse(stream: MuxStream, reason: string): void;
  released(stream: MuxStream): void;
}

type StreamState = 'opening' | 'awaiting-accept' | 'open' | 'closed';

/** A stream ended by a reset (from either side), a refusal, or the tunnel going away. */
export class StreamClosedError extends Error {
  override readonly name = 'StreamClosedError';
  constructor(
    message: string,
    readonly code: 'PEER_RESET' | 'REFUSED' | 'TUNNEL_CLOSED' | 'FLOW_CONTROL',
  ) {
    super(message);
  }
}

const READ_HIGH_WATER = 64 * 1024;

export class MuxStream extends Duplex {
  /** @internal */ state: StreamState;
  /** Bytes the peer still lets this side send. */
  private sendCredit: number;
  private pendingWrite: { chunk: Buffer; offset: number; callback: (error?: Error | null) => void } | undefined;
  private readonly recvQueue: Buffer[] = [];
  private recvQueuedBytes = 0;
  /** The receive window this side granted (grows while the reader keeps up). */
  recvWindow: number;
  /** Bytes the peer may still send before it needs credit. */
  private recvAllowed: number;
  /** Bytes consumed by the reader and not yet credited back. */
  private unacked = 0;
  private lastCreditAt = performance.now();
  private wantsData = false;
  private remoteFin = false;
  private endPushed = false;
  private localFinSent = false;
  private acceptDeferred = false;
  /** Bytes sent before the peer accepted (early data); the peer's window counts them. */
  private sentEarly = 0;
  /**
   * Set by the opener that writes before the answer (Mux.openEarly): a refusal, timeout or lost
   * tunnel before accept then destroys the stream with that error instead of quietly.
   */
  failsLoudly = false;

  constructor(
    private readonly host: StreamHost,
    readonly id: number,
    readonly target: OpenTarget,
    state: 'opening' | 'awaiting-accept',
    sendCredit: number,
    recvWindow: number,
  ) {
    super({ allowHalfOpen: true, readableHighWaterMark: READ_HIGH_WATER, writableHighWaterMark: READ_HIGH_WATER });
    this.state = state;
    this.sendCredit = sendCredit;
    this.recvWindow = recvWindow;
    this.recvAllowed = recvWindow;
  }

  /** Abandons the stream in both directions and tells the peer why; `error` is what this side's reader sees. */
  reset(reason: string, error?: Error): void {
    if (this.state === 'closed') return;
    this.closeWith({ type: 'reset', stream: this.id, reason });
    this.destroy(error);
  }

  /**
   * For a stream the peer opened: keep it unanswered until accept() or refuse() (within the
   * Mux's dial deadline), e.g. while dialing its target. Without it, the stream is accepted as
   * soon as the onStream handlers return.
   */
  deferAccept(): void {
    this.acceptDeferred = true;
  }

  accept(): void {
    if (this.state !== 'awaiting-accept') return;
    this.state = 'open';
    this.host.accept(this);
    this.flushWrite();
  }

  refuse(reason: string): void {
    if (this.state !== 'awaiting-accept') return;
    this.closeWith({ type: 'refuse', stream: this.id, reason });
    this.destroy();
  }

  /** @internal */ get isDeferred(): boolean {
    return this.acceptDeferred;
  }

  /** @internal The peer accepted the stream this side opened with a window of `window` bytes from its start. */
  opened(window: number): void {
    if (window < this.sentEarly) {
      this.violate(`the peer accepted stream ${this.id} with a window of ${window} bytes after ${this.sentEarly} bytes of early data`);
      return;
    }
    this.state = 'open';
    this.sendCredit = window - this.sentEarly;
    this.flushWrite();
  }

  /** @internal */ onData(payload: Uint8Array): void {
    if (this.state === 'closed' || payload.length === 0) return;
    if (this.remoteFin) {
      this.violate(`the peer sent data on stream ${this.id} after ending it`);
      return;
    }
    if (payload.length > this.recvAllowed) {
      this.violate(`the peer sent ${payload.length} bytes on stream ${this.id} with only ${this.recvAllowed} bytes of window left`);
      return;
    }
    this.recvAllowed -= payload.length;
    const chunk = Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    this.recvQueue.push(chunk);
    this.recvQueuedBytes += chunk.length;
    this.host.adjustBuffered(chunk.length);
    if (this.wantsData) this.deliver();
  }

  /** @internal */ onCredit(bytes: number): void {
    if (this.state === 'closed') return;
    if (this.sendCredit + bytes > 0xffffffff) {
      this.violate(`the peer granted stream ${this.id} more than 4 GiB of credit`);
      return;
    }
    this.sendCredit += bytes;
    this.flushWrite();
  }

  /** @internal */ onFin(): void {
    if (this.state === 'closed' || this.remoteFin) return;
    this.remoteFin = true;
    if (this.wantsData) this.deliver();
  }

  /** @internal */ onReset(reason: string): void {
    if (this.state === 'closed') return;
    const quiet = this.state !== 'open' && !this.failsLoudly;
    this.state = 'closed';
    // A stream nobody has accepted yet just closes: there is no reader to tell.
    if (quiet) this.destroy();
    else this.destroy(new StreamClosedError(`The peer reset the stream to ${describeTarget(this.target)}: ${reason}`, 'PEER_RESET'));
  }

  /** @internal The tunnel is gone: fail without sending anything (quietly while still unanswered). */
  abort(error: Error | undefined): void {
    if (this.state === 'closed') return;
    const quiet = this.state !== 'open' && !this.failsLoudly;
    this.state = 'closed';
    // Both directions already ended: everything arrived, let the reader finish what is queued.
    if (this.remoteFin && this.localFinSent) {
      if (this.wantsData) this.deliver();
      return;
    }
    this.destroy(quiet ? undefined : error);
  }

  /** @internal Sends what the peer's credit and the connection allow (early data while opening). */
  flushWrite(): void {
    const pending = this.pendingWrite;
    if (!pending || (this.state !== 'open' && this.state !== 'opening')) return;
    while (pending.offset < pending.chunk.length && this.sendCredit > 0) {
      if (this.host.congested) {
        this.host.waitForDrain(this);
        return;
      }
      const n = Math.min(pending.chunk.length - pending.offset, this.sendCredit, MAX_DATA_PAYLOAD);
      this.host.writeData(this.id, pending.chunk.subarray(pending.offset, pending.offset + n));
      pending.offset += n;
      this.sendCredit -= n;
      if (this.state === 'opening') this.sentEarly += n;
    }
    if (pending.offset < pending.chunk.length) return; // waits for credit
    this.pendingWrite = undefined;
    this.host.adjustBuffered(-pending.chunk.length);
    pending.callback();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.state === 'closed') {
      callback(new StreamClosedError(`The stream to ${describeTarget(this.target)} is closed`, 'TUNNEL_CLOSED'));
      return;
    }
    this.pendingWrite = { chunk, offset: 0, callback };
    this.host.adjustBuffered(chunk.length);
    this.flushWrite();
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.state !== 'closed' && !this.localFinSent) {
      this.localFinSent = true;
      this.host.writeFrame({ type: 'fin', stream: this.id });
    }
    callback();
  }

  override _read(): void {
    this.wantsData = true;
    this.deliver();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.state !== 'closed') {
      const clean = this.localFinSent && this.endPushed;
      this.closeWith(clean ? undefined : { type: 'reset', stream: this.id, reason: error ? error.message : 'closed by the other end of the stream' });
    }
    const pending = this.pendingWrite;
    this.pendingWrite = undefined;
    if (pending) {
      this.host.adjustBuffered(-pending.chunk.length);
      pending.callback(error ?? new StreamClosedError(`The stream to ${describeTarget(this.target)} was closed`, 'TUNNEL_CLOSED'));
    }
    this.host.adjustBuffered(-this.recvQueuedBytes);
    this.recvQueue.length = 0;
    this.recvQueuedBytes = 0;
    this.host.released(this);
    callback(error);
  }

  private deliver(): void {
    while (this.wantsData && this.recvQueue.length > 0) {
      const chunk = this.recvQueue.shift()!;
      this.recvQueuedBytes -= chunk.length;
      this.host.adjustBuffered(-chunk.length);
      this.consumed(chunk.length);
      this.wantsData = this.push(chunk);
    }
    if (this.recvQueue.length === 0 && this.remoteFin && !this.endPushed) {
      this.endPushed = true;
      this.push(null);
    }
  }

  /** Returns credit once half the window was consumed, growing the window for a fast reader. */
  private consumed(bytes: number): void {
    this.unacked += bytes;
    if (this.state !== 'open' || this.remoteFin || this.unacked < this.recvWindow / 2) return;
    const now = performance.now();
    const growth = this.recvQueue.length === 0 ? this.host.windowGrowth(this, now - this.lastCreditAt) : 0;
    this.lastCreditAt = now;
    this.recvWindow += growth;
    const bytesCredited = this.unacked + growth;
    this.recvAllowed += bytesCredited;
    this.unacked = 0;
    this.host.writeFrame({ type: 'credit', stream: this.id, bytes: bytesCredited });
  }

  private violate(message: string): void {
    this.closeWith({ type: 'reset', stream: this.id, reason: message });
    this.destroy(new StreamClosedError(`${message}; the stream was reset (the tunnel stays up)`, 'FLOW_CONTROL'));
  }

  private closeWith(frame: Frame | undefined): void {
    this.state = 'closed';
    if (frame) this.host.writeFrame(frame);
  }
}
