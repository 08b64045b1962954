/**
 * Encoding of relay frames (see protocol.ts for the layout): control frames into one buffer, data
 * frames as a separate 9-byte header so the payload is never copied on the hot path.
 */
import type { Frame } from './protocol';

/** Largest payload one data frame may carry; writers split bigger chunks. */
export const MAX_DATA_PAYLOAD = 256 * 1024;
/** Largest control frame (anything but data); they are small, this only bounds a malicious peer. */
export const MAX_CONTROL_FRAME = 16 * 1024;
/** Longest reason string sent on the wire; longer reasons are cut. */
export const MAX_REASON_BYTES = 1024;

/** Malformed or oversized input from the peer. The connection cannot be trusted after it. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/** @internal Wire codes of the frame types, shared with the decoder. */
export const TYPE_CODES = {
  hello: 1,
  welcome: 2,
  open: 3,
  accept: 4,
  refuse: 5,
  data: 6,
  credit: 7,
  fin: 8,
  reset: 9,
  ping: 10,
  pong: 11,
  goaway: 12,
} as const satisfies Record<Frame['type'], number>;

export const TARGET_INBOUND = 1;
export const TARGET_DIAL = 2;
export const ROLE_EXTENSION = 1;
export const DATA_HEADER = 9; // u32 length, u8 type, u32 stream

/** The 9-byte header of a data frame carrying `payloadLength` bytes; send the payload right after it. */
export function encodeDataHeader(stream: number, payloadLength: number): Buffer {
  if (payloadLength > MAX_DATA_PAYLOAD) throw new RangeError(`data payload of ${payloadLength} bytes exceeds ${MAX_DATA_PAYLOAD}`);
  const header = Buffer.allocUnsafe(DATA_HEADER);
  header.writeUInt32BE(5 + payloadLength, 0);
  header[4] = TYPE_CODES.data;
  header.writeUInt32BE(stream, 5);
  return header;
}

/** Encodes one frame into a fresh buffer (data frames copy their payload: use encodeDataHeader on hot paths). */
export function encodeFrame(frame: Frame): Buffer {
  if (frame.type === 'data') {
    return Buffer.concat([encodeDataHeader(frame.stream, frame.payload.length), frame.payload]);
  }
  const writer = new BodyWriter();
  switch (frame.type) {
    case 'hello':
      writer.u32(frame.version).string(frame.token, 'token').u8(ROLE_EXTENSION);
      break;
    case 'welcome':
      writer.u32(frame.version).string(frame.agentVersion, 'agentVersion').u16(frame.ports.length);
      for (const port of frame.ports) writer.u16(port);
      break;
    case 'open':
      writer.u32(frame.stream).u32(frame.window);
      if (frame.target.kind === 'inbound') writer.u8(TARGET_INBOUND).u16(frame.target.port).string(frame.target.peer, 'peer');
      else writer.u8(TARGET_DIAL).string(frame.target.host, 'host').u16(frame.target.port);
      break;
    case 'accept':
      writer.u32(frame.stream).u32(frame.window);
      break;
    case 'credit':
      writer.u32(frame.stream).u32(frame.bytes);
      break;
    case 'refuse':
    case 'reset':
      writer.u32(frame.stream).string(cutReason(frame.reason), 'reason');
      break;
    case 'fin':
      writer.u32(frame.stream);
      break;
    case 'ping':
    case 'pong':
      writer.u32(frame.id);
      break;
    case 'goaway':
      writer.string(cutReason(frame.reason), 'reason');
      break;
  }
  return writer.finish(TYPE_CODES[frame.type]);
}

function cutReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_REASON_BYTES) return reason;
  let cut = reason.slice(0, MAX_REASON_BYTES);
  while (Buffer.byteLength(cut) > MAX_REASON_BYTES - 3) cut = cut.slice(0, -16);
  return `${cut}...`;
}

class BodyWriter {
  private readonly parts: Buffer[] = [];
  private length = 0;

  u8(value: number): this {
    return this.put(Buffer.from([checkInt(value, 0xff, 'u8')]));
  }
  u16(value: number): this {
    return this.int(value, 2, 0xffff, 'u16');
  }
  u32(value: number): this {
    return this.int(value, 4, 0xffffffff, 'u32');
  }
  private int(value: number, bytes: number, max: number, kind: string): this {
    const b = Buffer.allocUnsafe(bytes);
    b.writeUIntBE(checkInt(value, max, kind), 0, bytes);
    return this.put(b);
  }
  string(value: string, field: string): this {
    const bytes = Buffer.from(value, 'utf8');
    if (bytes.length > 0xffff) throw new RangeError(`${field} is ${bytes.length} bytes; at most 65535 fit in a frame`);
    return this.u16(bytes.length).put(bytes);
  }
  finish(type: number): Buffer {
    const head = Buffer.allocUnsafe(5);
    head.writeUInt32BE(this.length + 1, 0);
    head[4] = type;
    const out = Buffer.concat([head, ...this.parts], 5 + this.length);
    if (out.length > 4 + MAX_CONTROL_FRAME) throw new RangeError(`control frame of ${out.length} bytes exceeds ${MAX_CONTROL_FRAME}`);
    return out;
  }
  private put(b: Buffer): this {
    this.parts.push(b);
    this.length += b.length;
    return this;
  }
}

function checkInt(value: number, max: number, kind: string): number {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${value} is not a valid ${kind}`);
  return value;
}
