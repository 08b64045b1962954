/**
 * The versioned hello that opens a tunnel connection: the extension sends hello with the session
 * token, the agent checks version and token (in constant time) and answers welcome — or goaway
 * saying why — and both ends then run a Mux over the same connection.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { Mux, type MuxOptions } from './mux';
import { MAX_CONTROL_FRAME, ProtocolError, encodeFrame } from './codec';
import { FrameDecoder } from './codecDecode';
import { PROTOCOL_VERSION, type Frame, type HelloFrame, type WelcomeFrame } from './protocol';

export interface HandshakeOptions extends MuxOptions {
  /** Deadline for the other end's first frame (default 10 s). */
  handshakeTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface AgentHandshakeOptions extends HandshakeOptions {
  token: string;
  agentVersion: string;
  ports: number[];
}

export type HandshakeFailure = 'rejected' | 'timeout' | 'closed' | 'protocol' | 'aborted';

export class HandshakeError extends Error {
  override readonly name = 'HandshakeError';
  constructor(
    message: string,
    readonly failure: HandshakeFailure,
  ) {
    super(message);
  }
}

/** Extension side: hello with the token, wait for welcome, then run a Mux. */
export async function connectExtension(connection: Duplex, token: string, options: HandshakeOptions = {}): Promise<{ mux: Mux; welcome: WelcomeFrame }> {
  connection.write(encodeFrame({ type: 'hello', version: PROTOCOL_VERSION, token, role: 'extension' }));
  const frame = await readFirstFrame(connection, options, 'the relay agent');
  if (frame.type === 'goaway') {
    connection.destroy();
    throw new HandshakeError(`The relay agent rejected the connection: ${frame.reason}`, 'rejected');
  }
  if (frame.type !== 'welcome') {
    connection.destroy();
    throw new HandshakeError(`The relay agent answered hello with a ${frame.type} frame instead of welcome; it may be a different program or an incompatible version. Redeploy the relay.`, 'protocol');
  }
  if (frame.version !== PROTOCOL_VERSION) {
    connection.destroy();
    throw new HandshakeError(`The relay agent speaks tunnel protocol ${frame.version}, this extension speaks ${PROTOCOL_VERSION}. Redeploy the relay so both match.`, 'rejected');
  }
  return { mux: new Mux(connection, { ...options, side: 'extension' }), welcome: frame };
}

/** Agent side: read hello, check version and token, answer welcome (or goaway and close), then run a Mux. */
export async function acceptExtension(connection: Duplex, options: AgentHandshakeOptions): Promise<{ mux: Mux; hello: HelloFrame }> {
  const frame = await readFirstFrame(connection, options, 'the extension');
  const reject = (reason: string): never => {
    connection.on('error', () => undefined);
    connection.end(encodeFrame({ type: 'goaway', reason }));
    setTimeout(() => connection.destroy(), 1000).unref();
    throw new HandshakeError(reason, 'rejected');
  };
  if (frame.type !== 'hello') reject(`expected hello as the first frame, got ${frame.type}`);
  const hello = frame as HelloFrame;
  if (hello.version !== PROTOCOL_VERSION) {
    reject(`protocol version ${hello.version} is not supported: this relay agent (${options.agentVersion}) speaks version ${PROTOCOL_VERSION}; redeploy the relay from the same extension version`);
  }
  if (!tokensMatch(hello.token, options.token)) reject('the session token does not match this relay; restart the tunnel to redeploy the relay with a fresh token');
  connection.write(encodeFrame({ type: 'welcome', version: PROTOCOL_VERSION, agentVersion: options.agentVersion, ports: options.ports }));
  return { mux: new Mux(connection, { ...options, side: 'agent' }), hello };
}

/** Compares tokens in constant time, whatever their lengths. */
export function tokensMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}

/** Reads exactly one control frame and leaves the bytes after it unread on the connection. */
function readFirstFrame(connection: Duplex, options: HandshakeOptions, peer: string): Promise<Frame> {
  const timeoutMs = options.handshakeTimeoutMs ?? 10_000;
  return new Promise<Frame>((resolve, reject) => {
    let buffered: Buffer = Buffer.alloc(0);
    const finish = (error: Error | undefined, frame?: Frame, rest?: Buffer) => {
      clearTimeout(timer);
      connection.off('data', onData);
      connection.off('end', onEnd);
      connection.off('close', onEnd);
      connection.off('error', onError);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) {
        connection.destroy();
        reject(error);
        return;
      }
      connection.pause();
      if (rest && rest.length > 0) connection.unshift(rest);
      resolve(frame!);
    };
    const onData = (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      if (buffered.length < 4) return;
      const length = buffered.readUInt32BE(0);
      if (length > MAX_CONTROL_FRAME) {
        finish(new HandshakeError(`${peer} sent a first frame of ${length} bytes; it does not speak the tunnel protocol`, 'protocol'));
        return;
      }
      if (buffered.length < 4 + length) return;
      try {
        const frames = new FrameDecoder().push(buffered.subarray(0, 4 + length));
        finish(undefined, frames[0], buffered.subarray(4 + length));
      } catch (err) {
        finish(new HandshakeError(`${peer} sent a malformed first frame (${(err as ProtocolError).message}); it does not speak the tunnel protocol`, 'protocol'));
      }
    };
    const onEnd = () => finish(new HandshakeError(`${peer} closed the connection during the handshake`, 'closed'));
    const onError = (error: Error) => finish(new HandshakeError(`The connection to ${peer} failed during the handshake: ${error.message}`, 'closed'));
    const onAbort = () => finish(new HandshakeError('The tunnel handshake was cancelled', 'aborted'));
    const timer = setTimeout(() => finish(new HandshakeError(`${peer} did not complete the handshake within ${timeoutMs} ms`, 'timeout')), timeoutMs);
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    connection.on('data', onData);
    connection.on('end', onEnd);
    connection.on('close', onEnd);
    connection.on('error', onError);
    connection.resume();
  });
}
