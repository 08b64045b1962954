/** Mux pairs over an in-memory duplex pair or real loopback TCP, and stream helpers for the tunnel tests. */
import { createHash } from 'node:crypto';
import { createServer, connect, type Socket } from 'node:net';
import { duplexPair, type Duplex, type Readable } from 'node:stream';
import { Mux, type MuxOptions } from '../../../src/tunnel/mux';

export interface MuxPair {
  extension: Mux;
  agent: Mux;
  dispose(): void;
}

export function memoryPair(options: MuxOptions = {}, agentOptions: MuxOptions = options): MuxPair {
  const [a, b] = duplexPair();
  return pairOver(a, b, options, agentOptions);
}

export async function tcpPair(options: MuxOptions = {}, agentOptions: MuxOptions = options): Promise<MuxPair> {
  const { client, server } = await tcpSockets();
  return pairOver(client, server, options, agentOptions);
}

export async function tcpSockets(): Promise<{ client: Socket; server: Socket }> {
  const listener = createServer({ noDelay: true });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<Socket>((resolve) => listener.once('connection', resolve));
  const { port } = listener.address() as { port: number };
  const client = connect({ port, host: '127.0.0.1', noDelay: true });
  const server = await accepted;
  listener.close();
  await new Promise((resolve) => client.once('connect', resolve));
  return { client, server };
}

function pairOver(a: Duplex, b: Duplex, options: MuxOptions, agentOptions: MuxOptions): MuxPair {
  const extension = new Mux(a, { ...options, side: 'extension' });
  const agent = new Mux(b, { ...agentOptions, side: 'agent' });
  return {
    extension,
    agent,
    dispose() {
      extension.dispose();
      agent.dispose();
    },
  };
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream.iterator({ destroyOnReturn: false })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function hashAll(stream: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream.iterator({ destroyOnReturn: false })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Deterministic pseudo-random bytes, written with backpressure; resolves with their SHA-256. */
export async function writeBytes(stream: Duplex, total: number, seed: number, chunkSize = 64 * 1024): Promise<string> {
  const hash = createHash('sha256');
  const block = Buffer.alloc(chunkSize);
  let x = seed >>> 0 || 1;
  for (let sent = 0; sent < total; sent += chunkSize) {
    const n = Math.min(chunkSize, total - sent);
    for (let i = 0; i < n; i += 4) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      block.writeUInt32LE(x >>> 0, i);
    }
    const piece = Buffer.from(block.subarray(0, n));
    hash.update(piece);
    if (!stream.write(piece)) await new Promise((resolve) => stream.once('drain', resolve));
  }
  stream.end();
  return hash.digest('hex');
}

export function until(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (condition()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(check, 5);
    };
    check();
  });
}
