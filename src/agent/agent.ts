/**
 * The relay's end of the tunnel: accepts authenticated extension connections on the control port
 * (127.0.0.1 only, reached through pods/portforward), turns each in-cluster connection on a data
 * port into an inbound stream to the newest extension connection, and dials cluster services for
 * the streams of any of them (outbound forwards and, in a sandbox, every preview connection). An
 * older connection is not cut when a newer one arrives: two editor windows on one sandbox both
 * keep their previews, and a stale connection ends by itself when its pings stop.
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { describeCloseReason, type Mux, type MuxStream } from '../tunnel/mux';
import { acceptExtension, HandshakeError } from '../tunnel/muxHandshake';
import { joinStreams } from '../tunnel/muxSocket';
import type { OpenTarget } from '../tunnel/protocol';
import { AGENT_VERSION, type AgentConfig } from './config';
import type { AgentLog } from './log';

export interface RelayAgent {
  /** Bound control port, then the data ports in configuration order (real numbers when 0 was asked). */
  readonly controlPort: number;
  readonly dataPorts: number[];
  close(): Promise<void>;
}

export async function startAgent(config: AgentConfig, log: AgentLog): Promise<RelayAgent> {
  const agent = new Agent(config, log);
  try {
    await agent.listen();
  } catch (err) {
    await agent.close();
    throw err;
  }
  return agent;
}

class Agent implements RelayAgent {
  controlPort = 0;
  dataPorts: number[] = [];
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();
  /** Live extension connections, oldest first; inbound traffic goes to the newest. */
  private readonly connections: Mux[] = [];
  private readonly waiters = new Set<(mux: Mux | undefined) => void>();
  private nextConnection = 1;
  private closed = false;

  constructor(
    private readonly config: AgentConfig,
    private readonly log: AgentLog,
  ) {}

  async listen(): Promise<void> {
    const control = this.server((socket) => void this.onControl(socket));
    this.controlPort = await bind(control, this.config.controlHost, this.config.controlPort, 'control');
    for (const port of this.config.dataPorts) {
      let bound = port;
      const server = this.server((socket) => void this.onInbound(socket, bound));
      bound = await bind(server, this.config.dataHost, port, 'data');
      this.dataPorts.push(bound);
    }
    this.log('listening', { version: AGENT_VERSION, control: `${this.config.controlHost}:${this.controlPort}`, data: this.dataPorts.join(',') || 'none' });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.waiters) waiter(undefined);
    this.waiters.clear();
    const closing = this.connections.splice(0);
    await Promise.all(
      closing.map((mux) => {
        const done = new Promise<void>((resolve) => mux.onClose(() => resolve()));
        mux.close('the relay agent is shutting down');
        return done;
      }),
    );
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    for (const socket of this.sockets) socket.destroy();
    this.log('stopped');
  }

  private server(onConnection: (socket: Socket) => void): Server {
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true }, (socket) => {
      if (this.closed) {
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined); // reported where the socket is used
      onConnection(socket);
    });
    this.servers.push(server);
    return server;
  }

  private async onControl(socket: Socket): Promise<void> {
    const id = this.nextConnection++;
    const from = `${socket.remoteAddress}:${socket.remotePort}`;
    let mux: Mux;
    try {
      ({ mux } = await acceptExtension(socket, {
        token: this.config.token,
        agentVersion: AGENT_VERSION,
        ports: this.dataPorts,
        dialTimeoutMs: this.config.dialTimeoutMs + 2000,
      }));
    } catch (err) {
      const reason = err instanceof HandshakeError ? err.message : String(err);
      this.log('extension-rejected', { connection: id, from, reason });
      return;
    }
    this.sockets.delete(socket); // the Mux owns it now
    if (this.closed) {
      mux.dispose();
      return;
    }
    this.connections.push(mux);
    this.log('extension-connected', { connection: id, from, others: this.connections.length - 1 || undefined });
    mux.onStream((stream, target) => this.onDial(stream, target));
    mux.onClose((reason) => {
      const index = this.connections.indexOf(mux);
      if (index >= 0) this.connections.splice(index, 1);
      this.log('extension-disconnected', { connection: id, reason: describeCloseReason(reason), bytesIn: mux.stats.bytesIn, bytesOut: mux.stats.bytesOut });
    });
    for (const waiter of this.waiters) waiter(mux);
    this.waiters.clear();
  }

  private async onInbound(socket: Socket, port: number): Promise<void> {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    const mux = this.newest() ?? (await this.waitForExtension());
    if (!mux || socket.destroyed) {
      this.log('inbound-dropped', { port, peer, reason: `no extension connected within ${this.config.holdMs} ms` });
      socket.destroy();
      return;
    }
    let stream: MuxStream;
    let accepted: Promise<MuxStream>;
    try {
      // The caller's first bytes go out with the open: the extension's answer is not waited for.
      ({ stream, accepted } = mux.openEarly({ kind: 'inbound', port, peer }));
    } catch (err) {
      this.log('inbound-dropped', { port, peer, reason: (err as Error).message });
      socket.destroy();
      return;
    }
    const answered = accepted.then(
      () => {
        this.log('inbound-open', { stream: stream.id, port, peer });
        return true;
      },
      (err: Error) => {
        this.log('inbound-dropped', { stream: stream.id, port, peer, reason: err.message });
        return false;
      },
    );
    await this.carry(stream, socket);
    if (await answered) this.log('inbound-closed', { stream: stream.id, port, peer, sent: socket.bytesRead, received: socket.bytesWritten });
  }

  private onDial(stream: MuxStream, target: OpenTarget): void {
    if (target.kind !== 'dial') {
      stream.refuse('the relay agent only dials; inbound streams come from the agent');
      return;
    }
    const { host, port } = target;
    stream.deferAccept();
    const socket = connect({ host, port, allowHalfOpen: true, noDelay: true });
    this.sockets.add(socket);
    socket.on('error', () => undefined); // after connect, joinStreams reports errors as resets
    const fail = (reason: string) => {
      clearTimeout(timer);
      this.log('dial-failed', { stream: stream.id, host, port, reason });
      stream.refuse(reason);
      socket.destroy();
    };
    const timer = setTimeout(
      () => fail(`connecting to ${host}:${port} from the relay pod timed out after ${this.config.dialTimeoutMs} ms; check the service name, port and network policies`),
      this.config.dialTimeoutMs,
    );
    const onEarlyClose = () => {
      clearTimeout(timer);
      socket.destroy();
    };
    stream.once('close', onEarlyClose);
    const onConnectError = (error: Error) => fail(`connecting to ${host}:${port} from the relay pod failed: ${error.message}`);
    socket.once('error', onConnectError);
    socket.once('connect', () => {
      clearTimeout(timer);
      stream.off('close', onEarlyClose);
      socket.off('error', onConnectError);
      stream.accept();
      this.log('dial-open', { stream: stream.id, host, port });
      void this.carry(stream, socket).then(() => {
        this.sockets.delete(socket);
        this.log('dial-closed', { stream: stream.id, host, port, sent: socket.bytesWritten, received: socket.bytesRead });
      });
    });
  }

  /** The connection inbound traffic goes to: the newest one that takes new streams. */
  private newest(): Mux | undefined {
    return this.connections.filter((m) => m.isOpen).at(-1);
  }

  private carry(stream: MuxStream, socket: Socket): Promise<void> {
    return joinStreams(stream, socket);
  }

  private waitForExtension(): Promise<Mux | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        resolve(undefined);
      }, this.config.holdMs);
      const done = (mux: Mux | undefined) => {
        clearTimeout(timer);
        resolve(mux);
      };
      this.waiters.add(done);
    });
  }
}

function bind(server: Server, host: string, port: number, role: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`The relay agent cannot listen on ${host}:${port} (${role} port): ${err.code ?? err.message}. Another process may hold the port; pick a different one in the relay's settings.`)),
    );
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
