/**
 * A raw `v4.channel.k8s.io` port-forward client for tests: strips each channel's 2-byte port
 * prefix, collects data and error text per port, and sends data with the channel byte.
 */
import WebSocket from 'ws';

export interface ForwardedPort {
  /** The port announced in the first message of the data and error channels. */
  announced: number[];
  data: Buffer[];
  error: string;
}

export interface PortForwardClientOptions {
  protocol?: string;
  headers?: Record<string, string>;
  ca?: string;
  /** Receives data instead of collecting it (for large transfers). */
  onData?: (index: number, payload: Buffer) => void;
}

export class PortForwardClient {
  readonly ports: ForwardedPort[];
  readonly closed: Promise<number>;
  private readonly listeners = new Set<() => void>();
  private readonly prefixed = new Set<number>();

  private constructor(
    readonly ws: WebSocket,
    count: number,
    private readonly onData?: (index: number, payload: Buffer) => void,
  ) {
    this.ports = Array.from({ length: count }, () => ({ announced: [], data: [], error: '' }));
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('message', (raw: Buffer) => this.receive(raw));
  }

  static open(baseUrl: string, namespace: string, pod: string, ports: number[], options: PortForwardClientOptions = {}): Promise<PortForwardClient> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/v1/namespaces/${namespace}/pods/${pod}/portforward?${ports.map((p) => `ports=${p}`).join('&')}`;
    const ws = new WebSocket(url, [options.protocol ?? 'v4.channel.k8s.io'], { headers: options.headers, ca: options.ca, perMessageDeflate: false });
    const client = new PortForwardClient(ws, ports.length, options.onData);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}: ${body}`), { statusCode: res.statusCode, body })));
      });
      ws.once('error', reject);
    });
  }

  private receive(raw: Buffer): void {
    const channel = raw[0];
    const port = this.ports[channel >> 1];
    if (!port) return;
    const payload = raw.subarray(1);
    const isError = (channel & 1) === 1;
    if (!this.prefixed.has(channel)) {
      port.announced.push(payload.readUInt16LE(0));
      this.prefixed.add(channel);
    } else if (isError) port.error += payload.toString('utf8');
    else if (this.onData) this.onData(channel >> 1, payload);
    else port.data.push(Buffer.from(payload));
    for (const listener of this.listeners) listener();
  }

  send(index: number, payload: Buffer | string): void {
    const data = Buffer.from(payload);
    const out = Buffer.allocUnsafe(data.length + 1);
    out[0] = index * 2;
    data.copy(out, 1);
    this.ws.send(out);
  }

  text(index: number): string {
    return Buffer.concat(this.ports[index].data).toString('utf8');
  }

  /** Resolves once `test` holds, checked on every message. */
  until(test: () => boolean, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!test()) return;
        this.listeners.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`port-forward: condition not met in ${timeoutMs} ms; data=${JSON.stringify(this.ports.map((_, i) => this.text(i).slice(0, 200)))}`));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }
}
