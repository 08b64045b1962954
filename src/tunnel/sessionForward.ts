/**
 * An outbound forward: a local listener on 127.0.0.1 whose connections become dial streams to a
 * cluster service through the tunnel. The listener belongs to the session, not to one connection
 * of it: it survives reconnects, and connections made while the tunnel is down wait for it (up to
 * a deadline) instead of failing at once.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Disposable } from '../lifecycle';
import { joinStreams } from './muxSocket';
import type { MuxStream } from './mux';

/**
 * How a forward reaches the tunnel: opens a dial stream that can be written at once, waiting for
 * the tunnel if it is down; `accepted` settles with the relay's answer.
 */
export type DialThroughTunnel = (host: string, port: number, signal: AbortSignal) => Promise<{ stream: MuxStream; accepted: Promise<MuxStream> }>;

export interface ForwardEvents {
  /** A connection could not be carried (tunnel down past the deadline, or the relay refused the dial). */
  failed(host: string, port: number, error: Error): void;
}

export class LocalForward implements Disposable {
  private readonly sockets = new Set<Socket>();
  private readonly controllers = new Set<AbortController>();
  private disposed = false;

  private constructor(
    private readonly server: Server,
    /** The cluster service this forward reaches, e.g. "orders.shop.svc". */
    readonly remoteHost: string,
    readonly remotePort: number,
    private readonly dial: DialThroughTunnel,
    private readonly events: ForwardEvents,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Listens on 127.0.0.1:`localPort` (0 = a free port). */
  static async listen(remoteHost: string, remotePort: number, dial: DialThroughTunnel, events: ForwardEvents, localPort = 0): Promise<LocalForward> {
    const server = createServer({ pauseOnConnect: true, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(localPort, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new LocalForward(server, remoteHost, remotePort, dial, events);
  }

  get localPort(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** "127.0.0.1:54321" */
  get localAddress(): string {
    return `127.0.0.1:${this.localPort}`;
  }

  get connections(): number {
    return this.sockets.size;
  }

  private accept(socket: Socket): void {
    if (this.disposed) return void socket.destroy();
    this.sockets.add(socket);
    const controller = new AbortController();
    this.controllers.add(controller);
    socket.once('close', () => {
      this.sockets.delete(socket);
      controller.abort();
    });
    socket.on('error', () => undefined);
    const failed = (error: Error) => {
      if (!socket.destroyed && !this.disposed) this.events.failed(this.remoteHost, this.remotePort, error);
      socket.destroy();
    };
    this.dial(this.remoteHost, this.remotePort, controller.signal).then(
      ({ stream, accepted }) => {
        if (socket.destroyed) return void stream.reset('the local client went away');
        // What the client sends goes out with the open; a refusal ends the pair with the reason.
        accepted.then(
          () => this.controllers.delete(controller),
          (error: Error) => {
            this.controllers.delete(controller);
            // The stream already ended the socket; the client going away (an abort) is not a failure.
            if (error.name !== 'AbortError' && !this.disposed) this.events.failed(this.remoteHost, this.remotePort, error);
            socket.destroy();
          },
        );
        void joinStreams(stream, socket);
        socket.resume();
      },
      (error: Error) => {
        this.controllers.delete(controller);
        failed(error);
      },
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.server.close();
    for (const controller of this.controllers) controller.abort();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
