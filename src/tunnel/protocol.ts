/**
 * The relay's wire protocol: frame types and their binary codec (codec.ts encodes, codecDecode.ts
 * decodes; both re-exported here), shared by the extension and the in-cluster agent (which bundles
 * them). Versioned by PROTOCOL_VERSION.
 *
 * Every frame is `u32 length | u8 type | body`, big-endian, where `length` counts the type byte and
 * the body. Strings are `u16 byteLength | utf-8`. Data frames are `u32 stream | payload`; their
 * payload is never copied: encodeDataHeader() lets a writer send header and payload separately,
 * and the decoder hands out slices of its input (a data frame that spans input chunks comes out as
 * several data frames for the same stream, which means the same thing).
 */

export const PROTOCOL_VERSION = 2;

/**
 * Bytes the opener of a stream may send before the peer accepts it (early data): a new connection
 * costs one round trip, not two. The acceptor's window, given with accept, counts these bytes;
 * every window is at least this large. Data sent early on a stream that is refused is dropped.
 */
export const EARLY_DATA_WINDOW = 16 * 1024;

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

/** A target in words, for logs and error messages. */
export function describeTarget(target: OpenTarget): string {
  return target.kind === 'inbound' ? `the inbound connection from ${target.peer} on port ${target.port}` : `${target.host}:${target.port}`;
}
