/**
 * A TCP proxy of the tests' own between a client and the API server, for the faults a network and
 * an API server really have: connections cut, new ones refused, the server away for a while,
 * traffic that stops flowing. TLS passes through untouched (the kubeconfig that uses it keeps the
 * server's name for verification with `tls-server-name`), so it works on every cluster, the
 * simulator included. A cluster reached through an HTTP proxy (`proxy-url`) is dialled through it.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { request } from 'node:http';
import type { Disposable } from '../../src/lifecycle';
import type { ClusterUnderTest } from './clusterUnderTest';
import { clusterEntryOf, serverAddress } from './kubeconfigFile';

export interface ProxyTarget {
  host: string;
  port: number;
  /** An http:// proxy the cluster is reached through (kubeconfig `proxy-url`). */
  via?: string;
}

interface Pair {
  client: Socket;
  upstream?: Socket;
}

function dialThrough(via: string, target: ProxyTarget): Promise<Socket> {
  const proxy = new URL(via);
  if (proxy.protocol !== 'http:') return Promise.reject(new Error(`the fault proxy dials through http:// proxies only, not ${proxy.protocol}`));
  return new Promise((resolve, reject) => {
    const req = request({ host: proxy.hostname, port: Number(proxy.port || 80), method: 'CONNECT', path: `${target.host}:${target.port}` });
    req.once('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(new Error(`${via} answered CONNECT with ${res.statusCode}`));
      }
    });
    req.once('error', reject);
    req.end();
  });
}

export class FaultProxy implements Disposable {
  private readonly server: Server;
  private readonly pairs = new Set<Pair>();
  private refusing = false;
  private paused = false;
  /** Set by dropNextRequest: resolves once a connection carrying a request was dropped. */
  private trap: (() => void) | undefined;
  private listening = false;
  private port = 0;
  private accepted = 0;
  private disposed = false;

  private constructor(private readonly target: ProxyTarget) {
    this.server = createServer((client) => this.accept(client));
  }

  /** A proxy on 127.0.0.1 (a free port) forwarding to `target`. */
  static async start(target: ProxyTarget): Promise<FaultProxy> {
    const proxy = new FaultProxy(target);
    await proxy.listen();
    return proxy;
  }

  /** `127.0.0.1:<port>`, where clients connect. */
  get address(): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.port };
  }

  /** Connections open through the proxy now. */
  get openConnections(): number {
    return this.pairs.size;
  }

  /**
   * Connections clients opened through the proxy so far. Requests reuse kept-alive connections, but
   * every upgrade (a port-forward) takes a connection of its own.
   */
  get connectionsOpened(): number {
    return this.accepted;
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => reject(err);
      this.server.once('error', onError);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', onError);
        this.port = (this.server.address() as AddressInfo).port;
        this.listening = true;
        resolve();
      });
    });
  }

  private accept(client: Socket): void {
    if (this.refusing || this.disposed) {
      client.resetAndDestroy();
      return;
    }
    this.accepted++;
    const pair: Pair = { client };
    this.pairs.add(pair);
    const drop = () => {
      client.destroy();
      pair.upstream?.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', drop);
    client.on('close', drop);
    if (this.paused) client.pause();
    const dial = this.target.via ? dialThrough(this.target.via, this.target) : Promise.resolve(connect(this.target.port, this.target.host));
    dial.then(
      (upstream) => {
        pair.upstream = upstream;
        if (client.destroyed || !this.pairs.has(pair)) {
          upstream.destroy();
          return;
        }
        upstream.on('error', drop);
        upstream.on('close', drop);
        this.forward(client, upstream, pair);
        this.forward(upstream, client);
        if (this.paused) upstream.pause();
      },
      drop,
    );
  }

  /** Bytes from `from` to `to`, with backpressure, holding still while paused; `pair` when `from` is the client. */
  private forward(from: Socket, to: Socket, pair?: Pair): void {
    from.on('data', (chunk: Buffer) => {
      if (pair && this.trap) {
        const sprung = this.trap;
        this.trap = undefined;
        this.drop(pair);
        sprung();
        return;
      }
      if (!to.write(chunk)) from.pause();
    });
    to.on('drain', () => {
      if (!this.paused) from.resume();
    });
    from.on('end', () => to.end());
    if (!this.paused) from.resume();
  }

  private drop(pair: Pair): void {
    pair.client.resetAndDestroy();
    pair.upstream?.resetAndDestroy();
    this.pairs.delete(pair);
  }

  /** Drops every open connection at once; new ones are accepted as before. */
  cut(): void {
    for (const pair of [...this.pairs]) this.drop(pair);
  }

  /**
   * Drops (resets) the connection that next carries bytes from the client — the next request, on a
   * kept-alive connection or a new one — and nothing else; resolves when it has.
   */
  dropNextRequest(): Promise<void> {
    return new Promise((resolve) => (this.trap = resolve));
  }

  /** From now on new connections are reset as they arrive (a firewall or load balancer refusing), until `acceptConnections()`. */
  refuseConnections(): void {
    this.refusing = true;
  }

  acceptConnections(): void {
    this.refusing = false;
  }

  /**
   * The API server goes away for `ms`: open connections are cut and nothing listens on the port
   * (connection refused) until it comes back on the same port.
   */
  async outage(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      this.listening = false;
      this.server.close(() => resolve());
      this.cut();
    });
    await new Promise((r) => setTimeout(r, ms));
    if (this.disposed) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.listen();
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 50) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Holds every byte in both directions, on open and new connections alike, until `resume()`: a network that stopped forwarding. */
  pause(): void {
    this.paused = true;
    for (const { client, upstream } of this.pairs) {
      client.pause();
      upstream?.pause();
    }
  }

  resume(): void {
    this.paused = false;
    for (const { client, upstream } of this.pairs) {
      client.resume();
      upstream?.resume();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cut();
    if (this.listening) this.server.close();
  }
}

/** A fault proxy in front of the cluster under test's API server, closed with the fixture. */
export async function faultProxyFor(cluster: ClusterUnderTest): Promise<FaultProxy> {
  const entry = clusterEntryOf(cluster.kubeconfigPath, cluster.context);
  const proxy = await FaultProxy.start({ ...serverAddress(entry), via: entry.proxyUrl });
  cluster.defer(() => proxy.dispose());
  return proxy;
}
