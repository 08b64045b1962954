/**
 * The laptop end of an inbound tunnel stream: dialling the developer's local process, with a
 * message in plain words when nothing listens (the session then refuses the stream, so the
 * in-cluster caller just sees its connection closed).
 */
import { connect, type Socket } from 'node:net';

export interface LocalTarget {
  host: string;
  port: number;
}

export type LocalDialResult = { ok: true; socket: Socket } | { ok: false; code: string; message: string };

/**
 * Connects to `target` within `timeoutMs`. Never throws. A refused 127.0.0.1 is retried on ::1:
 * dev servers that listen on "localhost" often bind only the IPv6 loopback.
 */
export async function dialLocal(target: LocalTarget, timeoutMs = 5_000): Promise<LocalDialResult> {
  const first = await dialOnce(target, timeoutMs);
  if (first.ok || first.code !== 'ECONNREFUSED' || target.host !== '127.0.0.1') return first;
  const v6 = await dialOnce({ host: '::1', port: target.port }, timeoutMs);
  return v6.ok ? v6 : first;
}

function dialOnce(target: LocalTarget, timeoutMs: number): Promise<LocalDialResult> {
  return new Promise((resolve) => {
    const socket = connect({ host: target.host, port: target.port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ok: false, code: 'ETIMEDOUT', message: `${target.host}:${target.port} did not accept the connection within ${timeoutMs} ms` });
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve({ ok: true, socket });
    });
    const onError = (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const code = err.code ?? 'UNKNOWN';
      const message = code === 'ECONNREFUSED' ? `nothing listens on ${target.host}:${target.port} on this computer` : `connecting to ${target.host}:${target.port} failed (${err.message})`;
      resolve({ ok: false, code, message });
    };
    socket.once('error', onError);
  });
}

/**
 * TCP ports something listens on locally, from /proc/net/tcp and tcp6 (Linux; elsewhere none):
 * cheap suggestions for the local end of a tunnel.
 */
export async function listeningPorts(readFile: (path: string) => Promise<string> = (p) => import('node:fs/promises').then((fs) => fs.readFile(p, 'utf8'))): Promise<number[]> {
  const ports = new Set<number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(file).catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4 || fields[3] !== '0A') continue; // 0A = LISTEN
      const port = parseInt(fields[1].split(':')[1] ?? '', 16);
      if (port > 0) ports.add(port);
    }
  }
  return [...ports].sort((a, b) => a - b);
}
