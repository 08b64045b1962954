/**
 * The W3C Baggage header (https://www.w3.org/TR/baggage/) as far as header-routed previews need
 * it: put one member (`tether-sandbox=<name>`) into whatever `baggage` a request already carries.
 * Members of others are kept byte for byte (a proxy must not rewrite what it does not own), an
 * earlier member with our key is replaced, and the result stays within the limits propagators
 * enforce (180 members, 8192 bytes), because a receiver that drops an oversized header would
 * silently route the request to the baseline. Pure.
 */

/** The key header-based routing matches on. */
export const sandboxBaggageKey = 'tether-sandbox';
export const maxBaggageMembers = 180;
export const maxBaggageBytes = 8192;

export class BaggageError extends Error {
  constructor(
    message: string,
    /** What to do about it. */
    readonly remedy: string,
  ) {
    super(message);
    this.name = 'BaggageError';
  }
}

/** RFC 7230 token: the syntax of a baggage key. */
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** baggage-octet: printable ASCII except space, '"', ',', ';' and '\'. '%' is encoded too, so decoding is unambiguous. */
function isBaggageOctet(byte: number): boolean {
  return byte >= 0x21 && byte <= 0x7e && byte !== 0x22 && byte !== 0x2c && byte !== 0x3b && byte !== 0x5c && byte !== 0x25;
}

/** Percent-encodes everything that is not a baggage-octet, byte by byte of its UTF-8. */
export function encodeBaggageValue(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    out += isBaggageOctet(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The inverse of encodeBaggageValue; a malformed escape is kept as written. */
export function decodeBaggageValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The members of one or more `baggage` header values, trimmed, empty ones dropped. */
export function baggageMembers(header: string | readonly string[] | undefined): string[] {
  if (header === undefined) return [];
  const values = typeof header === 'string' ? [header] : header;
  // Values and properties never contain a raw ',' (it must be percent-encoded), so splitting is exact.
  return values.flatMap((v) => v.split(',')).map((m) => m.trim()).filter((m) => m.length > 0);
}

/** The key of a list member ("k=v;prop" -> "k"); OWS around "=" is allowed. */
function memberKey(member: string): string {
  return member.split(/[=;]/, 1)[0].trim();
}

/** The decoded value of `key` in a `baggage` header, when present (the last one wins, as in propagators). */
export function readBaggage(header: string | readonly string[] | undefined, key: string): string | undefined {
  let found: string | undefined;
  for (const member of baggageMembers(header)) {
    if (memberKey(member) !== key) continue;
    const value = member.slice(member.indexOf('=') + 1).split(';', 1)[0].trim();
    found = decodeBaggageValue(value);
  }
  return found;
}

/**
 * `header` with `key=value` set: our member first (so a receiver that keeps only the first members
 * still routes), every other member after it in its order, unchanged. Throws a BaggageError when the
 * key is not a token or the result would exceed the limits.
 */
export function mergeBaggage(header: string | readonly string[] | undefined, key: string, value: string): string {
  if (!token.test(key)) throw new BaggageError(`"${key}" is not a valid baggage key (it must be an HTTP token)`, 'Use letters, digits and "-" in the key');
  const ours = `${key}=${encodeBaggageValue(value)}`;
  const others = baggageMembers(header).filter((m) => memberKey(m) !== key);
  const members = [ours, ...others];
  if (members.length > maxBaggageMembers) {
    throw new BaggageError(
      `the request's baggage header already has ${others.length} members; with ${key} it would have ${members.length}, more than the ${maxBaggageMembers} W3C Baggage allows`,
      'Send fewer baggage members from the client (browser extensions or instrumentation may add them), or drop the header when calling the preview',
    );
  }
  const merged = members.join(',');
  const bytes = Buffer.byteLength(merged, 'utf8');
  if (bytes > maxBaggageBytes) {
    throw new BaggageError(
      `the request's baggage header with ${key} added would be ${bytes} bytes, more than the ${maxBaggageBytes} W3C Baggage allows`,
      'Send a shorter baggage header from the client, or drop it when calling the preview',
    );
  }
  return merged;
}

/** The header line a request routed to `sandbox` carries on its own. */
export function sandboxBaggageHeader(sandbox: string): string {
  return `baggage: ${mergeBaggage(undefined, sandboxBaggageKey, sandbox)}`;
}
