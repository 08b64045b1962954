/**
 * Decoding of relay frames: an incremental decoder that hands out data payloads as slices of its
 * input and checks every control frame's bounds, so malformed input only ever raises ProtocolError.
 */
import { DATA_HEADER, MAX_CONTROL_FRAME, MAX_DATA_PAYLOAD, ProtocolError, ROLE_EXTENSION, TARGET_DIAL, TARGET_INBOUND, TYPE_CODES } from './codec';
import type { Frame, OpenTarget } from './protocol';

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
    return this.int(2);
  }
  u32(): number {
    return this.int(4);
  }
  private int(bytes: number): number {
    this.need(bytes);
    const v = this.buf.readUIntBE(this.offset, bytes);
    this.offset += bytes;
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
