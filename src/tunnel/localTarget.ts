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

/** Connects to `target` within `timeoutMs`. Never throws. */
export function dialLocal(target: LocalTarget, timeoutMs = 5_000): Promise<LocalDialResult> {
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
