/**
 * pods/portforward over WebSocket (`v4.channel.k8s.io`): port i has data channel 2i and error
 * channel 2i+1; each binary message starts with its channel byte; the first message on each
 * channel carries the port (2 bytes, little-endian). Bytes flow to a TCP connection to the pod's
 * port with backpressure both ways: the TCP socket pauses while too much is queued towards the
 * WebSocket, and the WebSocket stops being read while a TCP write buffer is full.
 */
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Disposable } from '../../../src/lifecycle';
import type { SubresourceRequest } from '../contracts';
import { connectionRefusedMessage, forwardFailedMessage, parsePortForward, portForwardProtocol, refuseUpgrade } from './portForwardRequest';

export type PortTargetResolver = (namespace: string, pod: string, port: number) => { host: string; port: number } | undefined;

export interface PortForwardLimits {
  /** Pause the pod-side socket once this many bytes wait to go out on the WebSocket. */
  highWaterMark: number;
  /** Resume it once the backlog drains below this. */
  lowWaterMark: number;
}

export const defaultPortForwardLimits: PortForwardLimits = { highWaterMark: 1024 * 1024, lowWaterMark: 256 * 1024 };

export interface PortForwardStats {
  open: number;
  /** Sessions (WebSocket upgrades) served since the server started. */
  sessions: number;
  /** The largest backlog towards any client seen so far, in bytes. */
  peakBufferedBytes: number;
  /** The largest write buffer towards any pod port seen so far, in bytes. */
  peakPodBufferedBytes: number;
}

/** High-water marks seen by every session of one server. */
interface Peaks {
  toClient: number;
  toPod: number;
}

function frame(channel: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(payload.length + 1);
  out[0] = channel;
  payload.copy(out, 1);
  return out;
}

function portPrefix(channel: number, port: number): Buffer {
  return Buffer.from([channel, port & 0xff, (port >> 8) & 0xff]);
}

/** One forwarded port inside a session. */
interface PortStream {
  port: number;
  data: number;
  error: number;
  tcp?: Socket;
  done: boolean;
}

/** A message on its way to the client, held back by the injected latency. */
interface Delayed {
  due: number;
  /** Nothing to send: only `sent` to run in its turn (closing after the rest). */
  message?: Buffer;
  sent?: () => void;
}

class PortForwardSession {
  private readonly streams: PortStream[];
  private backlog = 0;
  private readonly blockedWriters = new Set<Socket>();
  /** Messages to the client in order; each leaves once its latency has passed. */
  private readonly delayed: Delayed[] = [];
  private delayTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ws: WebSocket,
    ports: number[],
    private readonly uid: string,
    private readonly limits: PortForwardLimits,
    private readonly peaks: Peaks,
    private readonly latencyMs: () => number = () => 0,
  ) {
    this.streams = ports.map((port, i) => ({ port, data: 2 * i, error: 2 * i + 1, done: false }));
    ws.on('message', (data, isBinary) => this.fromClient(data, isBinary));
    ws.on('close', () => this.closeAll());
    ws.on('error', () => ws.terminate());
  }

  start(resolve: (port: number) => { host: string; port: number } | undefined): void {
    for (const stream of this.streams) {
      this.send(portPrefix(stream.data, stream.port));
      this.send(portPrefix(stream.error, stream.port));
      const target = resolve(stream.port);
      if (!target) this.fail(stream, connectionRefusedMessage(stream.port, this.uid));
      else this.dial(stream, target);
    }
  }

  private dial(stream: PortStream, target: { host: string; port: number }): void {
    // The kubelet is Go, whose TCP connections have Nagle's algorithm off.
    const tcp = connect({ host: target.host, port: target.port, noDelay: true });
    stream.tcp = tcp;
    tcp.on('data', (chunk: Buffer) => this.toClient(stream, tcp, chunk));
    tcp.on('drain', () => this.writerDrained(tcp));
    tcp.once('error', (err: NodeJS.ErrnoException) => {
      const refused = err.code === 'ECONNREFUSED';
      this.fail(stream, refused ? connectionRefusedMessage(stream.port, this.uid) : forwardFailedMessage(stream.port, this.uid, err.message));
    });
    tcp.once('close', () => this.finish(stream));
  }

  private toClient(stream: PortStream, tcp: Socket, chunk: Buffer): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    const size = chunk.length + 1;
    this.backlog += size;
    this.peaks.toClient = Math.max(this.peaks.toClient, this.backlog);
    this.send(frame(stream.data, chunk), () => {
      this.backlog -= size;
      if (this.backlog <= this.limits.lowWaterMark) for (const s of this.streams) s.tcp?.resume();
    });
    if (this.backlog > this.limits.highWaterMark) tcp.pause();
  }

  /** To the client, after the injected latency; in order either way. */
  private send(message: Buffer | undefined, sent?: () => void): void {
    const latency = this.latencyMs();
    if (latency <= 0 && this.delayed.length === 0) {
      if (message) this.ws.send(message, sent);
      else sent?.();
      return;
    }
    this.delayed.push({ due: performance.now() + latency, message, sent });
    this.pump();
  }

  private pump(): void {
    clearTimeout(this.delayTimer);
    this.delayTimer = undefined;
    while (this.delayed.length > 0 && this.delayed[0].due <= performance.now()) {
      const next = this.delayed.shift()!;
      if (next.message && this.ws.readyState === this.ws.OPEN) this.ws.send(next.message, next.sent);
      else next.sent?.();
    }
    if (this.delayed.length > 0) this.delayTimer = setTimeout(() => this.pump(), Math.max(0, this.delayed[0].due - performance.now()));
  }

  private fromClient(data: RawData, isBinary: boolean): void {
    if (!isBinary) return;
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (buf.length < 2) return;
    const stream = this.streams.find((s) => s.data === buf[0]);
    const tcp = stream?.tcp;
    if (!tcp || tcp.destroyed) return;
    const flushed = tcp.write(buf.subarray(1));
    this.peaks.toPod = Math.max(this.peaks.toPod, tcp.writableLength);
    if (!flushed && !this.blockedWriters.has(tcp)) {
      this.blockedWriters.add(tcp);
      this.ws.pause();
    }
  }

  private writerDrained(tcp: Socket): void {
    if (this.blockedWriters.delete(tcp) && this.blockedWriters.size === 0) this.ws.resume();
  }

  private fail(stream: PortStream, message: string): void {
    if (stream.done) return;
    if (this.ws.readyState === this.ws.OPEN) this.send(frame(stream.error, Buffer.from(message)));
    stream.tcp?.destroy();
    this.finish(stream);
  }

  /** A port's connection ended; once every port is done the WebSocket closes, as the kubelet's does (after what is still on its way). */
  private finish(stream: PortStream): void {
    if (stream.tcp) this.writerDrained(stream.tcp);
    if (stream.done) return;
    stream.done = true;
    if (!this.streams.every((s) => s.done)) return;
    const close = () => {
      if (this.ws.readyState === this.ws.OPEN) this.ws.close(1000);
    };
    this.send(undefined, close);
  }

  private closeAll(): void {
    clearTimeout(this.delayTimer);
    for (const held of this.delayed.splice(0)) held.sent?.();
    for (const stream of this.streams) {
      stream.done = true;
      stream.tcp?.destroy();
    }
  }

  /** Cut abruptly, as when a proxy or the network drops the connection. */
  cut(): void {
    this.ws.terminate();
    this.closeAll();
  }
}

export class PortForwardServer implements Disposable {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    clientTracking: false,
    handleProtocols: (protocols) => (protocols.has(portForwardProtocol) ? portForwardProtocol : false),
  });
  private readonly sessions = new Set<PortForwardSession>();
  private served = 0;
  private readonly peaks: Peaks = { toClient: 0, toPod: 0 };

  constructor(
    private readonly resolve: PortTargetResolver,
    private readonly limits: PortForwardLimits = defaultPortForwardLimits,
  ) {}

  get stats(): PortForwardStats {
    return { open: this.sessions.size, sessions: this.served, peakBufferedBytes: this.peaks.toClient, peakPodBufferedBytes: this.peaks.toPod };
  }

  serve(request: SubresourceRequest, socket: Duplex, head: Buffer): void {
    const parsed = parsePortForward(request.req, request.url);
    if (!parsed.ok) return refuseUpgrade(socket, parsed.status);
    const pod = request.pod;
    this.wss.handleUpgrade(request.req, socket, head, (ws) => {
      if (ws.protocol !== portForwardProtocol) return ws.terminate();
      const session = new PortForwardSession(ws, parsed.ports, pod.metadata.uid, this.limits, this.peaks, request.latencyMs);
      this.sessions.add(session);
      this.served++;
      ws.once('close', () => this.sessions.delete(session));
      session.start((port) => this.resolve(request.namespace, pod.metadata.name, port));
    });
  }

  cutAll(): void {
    for (const session of [...this.sessions]) session.cut();
    this.sessions.clear();
  }

  dispose(): void {
    this.cutAll();
    this.wss.close();
  }
}
