/**
 * One forwarded TCP connection over a `v4.channel.k8s.io` WebSocket, as a Duplex.
 *
 * Framing: every binary message starts with a channel byte (0 = data, 1 = error for the one port);
 * the first message on each channel carries the port, 2 bytes little-endian, which is consumed here.
 * Error-channel text (the kubelet's "error forwarding port …") fails the stream with an explanation.
 *
 * Backpressure both ways: when the consumer stops reading, the WebSocket's socket is paused; writes
 * complete only while less than `sendHighWaterMark` bytes are queued on the WebSocket. A ping every
 * `keepaliveMs` keeps idle proxies from dropping the connection; one unanswered by the next tick
 * marks the connection dead (not while reading is paused by backpressure, when a pong cannot be read).
 *
 * The protocol has no half-close: ending the writable side only flushes what was written; the
 * connection closes when the pod side closes it or the stream is destroyed.
 */
import { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import { repeat, systemClock, unrefTimer, type Clock } from './clock';
import { ExplainedError, type FailureReason } from './errors';
import { MessagePool } from './portforwardMessages';
import { redact } from './redact';

export interface PortForwardStreamOptions {
  /** Keepalive ping interval; a ping still unanswered at the next one means the connection is dead. */
  keepaliveMs?: number;
  /** Writes wait while this many bytes are queued on the WebSocket. */
  sendHighWaterMark?: number;
  /** Bytes the readable side buffers before the WebSocket is paused. */
  readHighWaterMark?: number;
  /** How long a clean close may take before the socket is dropped. */
  closeTimeoutMs?: number;
  /** Timers for the keepalive and the close (default the system's). */
  clock?: Clock;
}

export interface PortForwardTarget {
  namespace: string;
  pod: string;
  port: number;
}

const dataChannel = 0;
const errorChannel = 1;
/** Payload of one outgoing message; bigger writes are split. */
const maxFrameBytes = 128 * 1024;

const defaults: Required<PortForwardStreamOptions> = {
  keepaliveMs: 20_000,
  sendHighWaterMark: 1024 * 1024,
  readHighWaterMark: 256 * 1024,
  closeTimeoutMs: 2_000,
  clock: systemClock,
};

function describe(target: PortForwardTarget): string {
  return `Port-forward to port ${target.port} of pod "${target.pod}" in namespace "${target.namespace}"`;
}

/** What the kubelet's error-channel text means, in plain words. */
export function explainForwardError(target: PortForwardTarget, text: string): ExplainedError {
  const message = redact(text.trim()).slice(0, 500);
  const refused = /connection refused/i.test(message);
  const reason: FailureReason = refused ? 'Unreachable' : 'Unknown';
  return new ExplainedError({
    reason,
    what: describe(target),
    why: refused ? `nothing listens on port ${target.port} inside pod "${target.pod}" (${message})` : `the pod's node reported: ${message}`,
    remedy: refused
      ? 'Check that the container is running and listens on that port (`kubectl logs` shows why it may not be)'
      : 'Retry; if it keeps happening, check the pod and its node (`kubectl describe pod`)',
  });
}

export class PortForwardStream extends Duplex {
  readonly target: PortForwardTarget;
  private readonly options: Required<PortForwardStreamOptions>;
  private readonly prefixSeen = [false, false];
  private queuedBytes = 0;
  private blockedWrite: ((error?: Error | null) => void) | undefined;
  private pausedForReader = false;
  private awaitingPong = false;
  private readonly keepalive: { stop(): void };
  private closeTimer: unknown;
  private errorText = '';
  private readonly messages: MessagePool;

  constructor(
    private readonly ws: WebSocket,
    target: PortForwardTarget,
    options: PortForwardStreamOptions = {},
  ) {
    const merged = { ...defaults, ...options };
    super({ allowHalfOpen: false, readableHighWaterMark: merged.readHighWaterMark, writableHighWaterMark: 64 * 1024 });
    this.options = merged;
    // Enough warm buffers for what may be queued on the WebSocket at once.
    this.messages = new MessagePool(maxFrameBytes, Math.ceil(merged.sendHighWaterMark / maxFrameBytes) + 1);
    this.target = target;
    ws.on('message', (data, isBinary) => this.receive(data as Buffer, isBinary));
    ws.on('pong', () => (this.awaitingPong = false));
    ws.on('error', (err) => this.destroy(this.transportError(err.message)));
    ws.on('close', (code) => this.socketClosed(code));
    this.keepalive = repeat(merged.clock, merged.keepaliveMs, () => this.ping(), { unref: true });
  }

  /** Bytes written but not yet handed to the operating system. */
  get bufferedBytes(): number {
    return this.queuedBytes;
  }

  private ping(): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.pausedForReader) return;
    if (this.awaitingPong) {
      this.destroy(
        new ExplainedError({
          reason: 'Timeout',
          what: describe(this.target),
          why: `the connection stopped answering (no keepalive reply within ${Math.round(this.options.keepaliveMs / 1000)} s)`,
          remedy: 'The network, a proxy or the API server dropped it; reconnect',
        }),
      );
      return;
    }
    this.awaitingPong = true;
    this.ws.ping();
  }

  private receive(data: Buffer, isBinary: boolean): void {
    this.awaitingPong = false;
    if (!isBinary || data.length === 0) return;
    const channel = data[0];
    if (channel !== dataChannel && channel !== errorChannel) return;
    let payload = data.subarray(1);
    if (!this.prefixSeen[channel]) {
      if (payload.length < 2) return void this.destroy(this.protocolError('a channel opened without its port'));
      const announced = payload.readUInt16LE(0);
      if (announced !== this.target.port) return void this.destroy(this.protocolError(`the server announced port ${announced}`));
      this.prefixSeen[channel] = true;
      payload = payload.subarray(2);
      if (payload.length === 0) return;
    }
    if (channel === errorChannel) {
      this.errorText += payload.toString('utf8');
      return;
    }
    if (!this.push(payload) && !this.pausedForReader) {
      this.pausedForReader = true;
      this.ws.pause();
    }
  }

  override _read(): void {
    if (!this.pausedForReader) return;
    this.pausedForReader = false;
    this.awaitingPong = false;
    this.ws.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.send([chunk], callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    this.send(
      chunks.map((c) => c.chunk),
      callback,
    );
  }

  private send(chunks: Buffer[], callback: (error?: Error | null) => void): void {
    if (this.ws.readyState !== this.ws.OPEN) return callback(this.transportError('the connection is closed'));
    this.messages.pack(chunks, dataChannel, (message, release) => {
      this.queuedBytes += message.length;
      this.ws.send(message, { binary: true }, (err) => {
        release();
        this.sent(message.length, err);
      });
    });
    if (this.queuedBytes < this.options.sendHighWaterMark) callback();
    else this.blockedWrite = callback;
  }

  private sent(bytes: number, err?: Error): void {
    this.queuedBytes -= bytes;
    const blocked = this.blockedWrite;
    if (!blocked) return;
    if (err || this.queuedBytes < this.options.sendHighWaterMark / 2) {
      this.blockedWrite = undefined;
      blocked(err ? this.transportError(err.message) : null);
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    // v4.channel.k8s.io cannot signal end-of-stream; what was written is flushed by then.
    callback();
  }

  private socketClosed(code: number): void {
    this.keepalive.stop();
    this.options.clock.clearTimeout(this.closeTimer);
    if (this.errorText) return void this.destroy(explainForwardError(this.target, this.errorText));
    if (code === 1000 || code === 1005) {
      this.push(null);
      return;
    }
    this.destroy(this.transportError(`the connection was cut (WebSocket close code ${code})`));
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.keepalive.stop();
    this.messages.clear();
    const blocked = this.blockedWrite;
    this.blockedWrite = undefined;
    blocked?.(error ?? this.transportError('the stream was closed'));
    if (this.ws.readyState === this.ws.OPEN && !error) {
      this.ws.close(1000);
      this.closeTimer = this.options.clock.setTimeout(() => this.ws.terminate(), this.options.closeTimeoutMs);
      unrefTimer(this.closeTimer);
    } else if (this.ws.readyState !== this.ws.CLOSED) {
      this.ws.terminate();
    }
    if (this.pausedForReader) this.ws.resume();
    callback(error);
  }

  private transportError(detail: string): ExplainedError {
    return new ExplainedError({
      reason: 'Unreachable',
      what: describe(this.target),
      why: redact(detail),
      remedy: 'Reconnect; if it keeps dropping, check the network and the pod (`kubectl get pod` shows restarts)',
    });
  }

  private protocolError(detail: string): ExplainedError {
    return new ExplainedError({
      reason: 'Unknown',
      what: describe(this.target),
      why: `the API server broke the v4.channel.k8s.io framing: ${detail}`,
      remedy: 'Retry; if it keeps happening, a proxy between you and the cluster may rewrite WebSocket traffic',
    });
  }
}
