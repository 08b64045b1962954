/**
 * The runtime's dial proxy: a Unix socket that process pods' preloads connect to for dials that
 * must leave the pod's emulated network namespace. Each connection starts with one DialRequest
 * line; the proxy connects to the routed address and pipes both ways, or closes when no endpoint
 * would answer.
 */
import { rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { Disposable } from '../../../src/lifecycle';
import { parseDialRequest, type DialRequest } from './preloadProtocol';

const maxHeaderBytes = 4096;

export type DialRoute = (request: DialRequest) => { host: string; port: number } | undefined;

export class DialProxy implements Disposable {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  /** Resolves once the proxy accepts connections. */
  readonly ready: Promise<void>;

  constructor(
    readonly socketPath: string,
    private readonly route: DialRoute,
  ) {
    this.server = createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    this.ready = new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(socketPath, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private accept(inbound: Socket): void {
    this.track(inbound);
    let header = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      header = Buffer.concat([header, chunk]);
      const newline = header.indexOf(0x0a);
      if (newline < 0) {
        if (header.length > maxHeaderBytes) inbound.destroy();
        return;
      }
      inbound.off('data', onData);
      inbound.pause();
      const request = parseDialRequest(header.subarray(0, newline).toString('utf8'));
      const target = request && this.route(request);
      if (!target) {
        inbound.destroy();
        return;
      }
      this.connect(inbound, target, header.subarray(newline + 1));
    };
    inbound.on('data', onData);
  }

  private connect(inbound: Socket, target: { host: string; port: number }, rest: Buffer): void {
    // Inside a real cluster this hop is the kernel's (kube-proxy's rules), which adds no delay of its own.
    const outbound = createConnection({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    this.track(outbound);
    if (rest.length > 0) outbound.write(rest);
    outbound.once('connect', () => {
      inbound.pipe(outbound);
      outbound.pipe(inbound);
      inbound.resume();
    });
    outbound.once('close', () => inbound.destroy());
    inbound.once('close', () => outbound.destroy());
  }

  dispose(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.server.close();
    rmSync(this.socketPath, { force: true });
  }
}
