/**
 * The relay's wire protocol: frame types and their binary codec, shared by the extension and the
 * in-cluster agent (which bundles this file). Versioned by PROTOCOL_VERSION.
 *
 * Every frame is `u32 length | u8 type | body`, big-endian, where `length` counts the type byte and
 * the body. Strings are `u16 byteLength | utf-8`. Data frames are `u32 stream | payload`; their
 * payload is never copied: encodeDataHeader() lets a writer send header and payload separately,
 * and the decoder hands out slices of its input (a data frame that spans input chunks comes out as
 * several data frames for the same stream, which means the same thing).
 */

export const PROTOCOL_VERSION = 1;

/** Largest payload one data frame may carry; writers split bigger chunks. */
export const MAX_DATA_PAYLOAD = 256 * 1024;
/** Largest control frame (anything but data); they are small, this only bounds a malicious peer. */
export const MAX_CONTROL_FRAME = 16 * 1024;
/** Longest reason string sent on the wire; longer reasons are cut. */
export const MAX_REASON_BYTES = 1024;

export type OpenTarget =
  /** Agent -> extension: a cluster client connected to data port `port` from `peer` (address:port). */
  | { kind: 'inbound'; port: number; peer: string }
  /** Extension -> agent: dial a cluster service from inside the pod. */
  | { kind: 'dial'; host: string; port: number };

export interface HelloFrame { type: 'hello'; version: number; token: string; role: 'extension' }
export interface WelcomeFrame { type: 'welcome'; version: number; agentVersion: string; ports: number[] }
export interface OpenFrame { type: 'open'; stream: number; target: OpenTarget; window: number }
export interface AcceptFrame { type: 'accept'; stream: number; window: number }
export interface RefuseFrame { type: 'refuse'; stream: number; reason: string }
export interface DataFrame { type: 'data'; stream: number; payload: Uint8Array }
export interface CreditFrame { type: 'credit'; stream: number; bytes: number }
export interface FinFrame { type: 'fin'; stream: number }
export interface ResetFrame { type: 'reset'; stream: number; reason: string }
export interface PingFrame { type: 'ping'; id: number }
export interface PongFrame { type: 'pong'; id: number }
export interface GoawayFrame { type: 'goaway'; reason: string }

export type Frame =
  | HelloFrame
  | WelcomeFrame
  | OpenFrame
  | AcceptFrame
  | RefuseFrame
  | DataFrame
  | CreditFrame
  | FinFrame
  | ResetFrame
  | PingFrame
  | PongFrame
  | GoawayFrame;

/** Malformed or oversized input from the peer. The connection cannot be trusted after it. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

const TYPE_CODES = {
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

const TARGET_INBOUND = 1;
const TARGET_DIAL = 2;
const ROLE_EXTENSION = 1;
const DATA_HEADER = 9; // u32 length, u8 type, u32 stream

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
    const b = Buffer.allocUnsafe(2);
    b.writeUInt16BE(checkInt(value, 0xffff, 'u16'));
    return this.put(b);
  }
  u32(value: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32BE(checkInt(value, 0xffffffff, 'u32'));
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

/** Reads a control frame's body with bounds checks; every overrun is a ProtocolError. */
class BodyReader {
  private offset: number;
  constructor(
    private readonly buf: Buffer,
    start: number,
    private readonly end: number,
    private readonly what: string,
  ) {
    this.offset = start;
  }
  u8(): number {
    this.need(1);
    return this.buf[this.offset++];
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  string(): string {
    const length = this.u16();
    this.need(length);
    const s = this.buf.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return s;
  }
  done(): void {
    if (this.offset !== this.end) throw new ProtocolError(`${this.what} frame has ${this.end - this.offset} unexpected trailing bytes`);
  }
  private need(n: number): void {
    if (this.offset + n > this.end) throw new ProtocolError(`${this.what} frame is truncated`);
  }
}

function decodeControl(buf: Buffer, start: number, end: number): Frame {
  const type = buf[start];
  const r = (what: string) => new BodyReader(buf, start + 1, end, what);
  switch (type) {
    case TYPE_CODES.hello: {
      const b = r('hello');
      const version = b.u32();
      const token = b.string();
      const role = b.u8();
      if (role !== ROLE_EXTENSION) throw new ProtocolError(`hello frame names unknown role ${role}`);
      b.done();
      return { type: 'hello', version, token, role: 'extension' };
    }
    case TYPE_CODES.welcome: {
      const b = r('welcome');
      const version = b.u32();
      const agentVersion = b.string();
      const ports = Array.from({ length: b.u16() }, () => b.u16());
      b.done();
      return { type: 'welcome', version, agentVersion, ports };
    }
    case TYPE_CODES.open: {
      const b = r('open');
      const stream = b.u32();
      const window = b.u32();
      const kind = b.u8();
      let target: OpenTarget;
      if (kind === TARGET_INBOUND) {
        const port = b.u16();
        target = { kind: 'inbound', port, peer: b.string() };
      } else if (kind === TARGET_DIAL) {
        const host = b.string();
        target = { kind: 'dial', host, port: b.u16() };
      } else throw new ProtocolError(`open frame names unknown target kind ${kind}`);
      b.done();
      return { type: 'open', stream, target, window };
    }
    case TYPE_CODES.accept:
    case TYPE_CODES.credit: {
      const b = r(type === TYPE_CODES.accept ? 'accept' : 'credit');
      const stream = b.u32();
      const n = b.u32();
      b.done();
      return type === TYPE_CODES.accept ? { type: 'accept', stream, window: n } : { type: 'credit', stream, bytes: n };
    }
    case TYPE_CODES.refuse:
    case TYPE_CODES.reset: {
      const b = r(type === TYPE_CODES.refuse ? 'refuse' : 'reset');
      const stream = b.u32();
      const reason = b.string();
      b.done();
      return { type: type === TYPE_CODES.refuse ? 'refuse' : 'reset', stream, reason };
    }
    case TYPE_CODES.fin: {
      const b = r('fin');
      const stream = b.u32();
      b.done();
      return { type: 'fin', stream };
    }
    case TYPE_CODES.ping:
    case TYPE_CODES.pong: {
      const b = r(type === TYPE_CODES.ping ? 'ping' : 'pong');
      const id = b.u32();
      b.done();
      return { type: type === TYPE_CODES.ping ? 'ping' : 'pong', id };
    }
    case TYPE_CODES.goaway: {
      const b = r('goaway');
      const reason = b.string();
      b.done();
      return { type: 'goaway', reason };
    }
    default:
      throw new ProtocolError(`unknown frame type ${type}`);
  }
}

/**
 * Incremental decoder: push() each chunk read from the connection, get the complete frames back.
 * Data payloads are slices of the input (no copy). Throws ProtocolError on malformed input; after
 * that the decoder is poisoned and keeps throwing.
 */
export class FrameDecoder {
  /** Bytes of a header or control frame that straddles chunks (small). */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  /** While > 0, the next input bytes are the payload of a data frame for `dataStream`. */
  private dataRemaining = 0;
  private dataStream = 0;
  private failed: ProtocolError | undefined;

  /** Bytes held that do not yet form a frame (excludes data payload already handed out). */
  get pendingBytes(): number {
    return this.partialBytes;
  }

  push(chunk: Uint8Array): Frame[] {
    if (this.failed) throw this.failed;
    try {
      return this.decode(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (err) {
      this.failed = err instanceof ProtocolError ? err : new ProtocolError(`undecodable input: ${(err as Error).message}`);
      throw this.failed;
    }
  }

  private decode(input: Buffer): Frame[] {
    const out: Frame[] = [];
    const buf = input;
    let off = 0;
    while (off < buf.length) {
      if (this.dataRemaining > 0) {
        const n = Math.min(this.dataRemaining, buf.length - off);
        out.push({ type: 'data', stream: this.dataStream, payload: buf.subarray(off, off + n) });
        off += n;
        this.dataRemaining -= n;
        continue;
      }
      if (this.partialBytes > 0) {
        // Complete the straddling unit with just the bytes it needs.
        const need = this.unitLength(Buffer.concat(this.partial, this.partialBytes)) - this.partialBytes;
        const take = Math.min(need, buf.length - off);
        this.partial.push(buf.subarray(off, off + take));
        this.partialBytes += take;
        off += take;
        const joined = Buffer.concat(this.partial, this.partialBytes);
        if (this.unitLength(joined) > this.partialBytes) {
          this.partial = [joined];
          continue;
        }
        this.partial = [];
        this.partialBytes = 0;
        this.consumeUnit(joined, 0, out);
        continue;
      }
      const available = buf.length - off;
      const unit = this.unitLength(buf.subarray(off));
      if (unit > available) {
        this.partial = [buf.subarray(off)];
        this.partialBytes = available;
        break;
      }
      this.consumeUnit(buf, off, out);
      off += unit;
    }
    return out;
  }

  /**
   * How many bytes the unit starting at `b` needs: 4 until the length is known, then the whole
   * control frame, or just the 9-byte header of a data frame (its payload streams through).
   */
  private unitLength(b: Buffer): number {
    if (b.length < 4) return 4;
    const length = b.readUInt32BE(0);
    if (length < 1) throw new ProtocolError('frame of length 0');
    if (b.length < 5) return 5;
    if (b[4] === TYPE_CODES.data) {
      if (length < 5) throw new ProtocolError('data frame is truncated');
      if (length > 5 + MAX_DATA_PAYLOAD) throw new ProtocolError(`data frame of ${length} bytes exceeds the ${MAX_DATA_PAYLOAD}-byte payload limit`);
      return DATA_HEADER;
    }
    if (length > MAX_CONTROL_FRAME) throw new ProtocolError(`control frame of ${length} bytes exceeds ${MAX_CONTROL_FRAME}`);
    return 4 + length;
  }

  /** Consumes a complete unit at `off` (its length was checked by unitLength). */
  private consumeUnit(b: Buffer, off: number, out: Frame[]): void {
    const length = b.readUInt32BE(off);
    if (b[off + 4] === TYPE_CODES.data) {
      const stream = b.readUInt32BE(off + 5);
      const payloadLength = length - 5;
      if (payloadLength === 0) out.push({ type: 'data', stream, payload: new Uint8Array(0) });
      else {
        this.dataStream = stream;
        this.dataRemaining = payloadLength;
      }
      return;
    }
    out.push(decodeControl(b, off + 4, off + 4 + length));
  }
}

/** A target in words, for logs and error messages. */
export function describeTarget(target: OpenTarget): string {
  return target.kind === 'inbound' ? `the inbound connection from ${target.peer} on port ${target.port}` : `${target.host}:${target.port}`;
}
