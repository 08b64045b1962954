/**
 * IP addresses and CIDRs as the API server parses them (netutils.ParseIPSloppy and
 * ParseCIDRSloppy: Go's net.ParseIP that also accepts IPv4 octets with leading zeros).
 */

export interface IP {
  /** 16 bytes; IPv4 addresses are stored IPv4-mapped (::ffff:a.b.c.d) like Go's net.IP. */
  bytes: number[];
  v4: boolean;
}

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseIPv6(s: string): number[] | undefined {
  let tail: number[] = [];
  let text = s;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = v4;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !rest) return undefined;
  let words: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - rest.length;
    if (fill < 1) return undefined;
    words = [...head, ...new Array<number>(fill).fill(0), ...rest];
  } else {
    if (head.length !== 8) return undefined;
    words = head;
  }
  const bytes: number[] = [];
  for (const w of words) bytes.push(w >> 8, w & 0xff);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

export function parseIP(s: string): IP | undefined {
  if (typeof s !== 'string' || s === '') return undefined;
  if (s.includes(':')) {
    const b = parseIPv6(s);
    return b ? { bytes: b, v4: false } : undefined;
  }
  const v4 = parseIPv4(s);
  return v4 ? { bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4], v4: true } : undefined;
}

export interface CIDR {
  ip: IP;
  prefix: number;
}

export function parseCIDR(s: string): CIDR | undefined {
  if (typeof s !== 'string') return undefined;
  const slash = s.indexOf('/');
  if (slash === -1) return undefined;
  const ip = parseIP(s.slice(0, slash));
  const len = s.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(len)) return undefined;
  const prefix = Number(len);
  if (prefix > (ip.v4 ? 32 : 128)) return undefined;
  return { ip, prefix };
}

/** Whether `inner`'s network address lies in `outer` (net.IPNet.Contains on the masked address). */
export function cidrContains(outer: CIDR, inner: CIDR): boolean {
  if (outer.ip.v4 !== inner.ip.v4) return false;
  const offset = outer.ip.v4 ? 96 : 0;
  const bits = offset + outer.prefix;
  const innerBits = offset + inner.prefix;
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    // The inner network address: its bits past its own prefix are zero.
    const innerBit = i < innerBits ? inner.ip.bytes[byte] & mask : 0;
    if ((outer.ip.bytes[byte] & mask) !== innerBit) return false;
  }
  return true;
}

export function isUnspecified(ip: IP): boolean {
  return ip.v4 ? ip.bytes.slice(12).every((b) => b === 0) : ip.bytes.every((b) => b === 0);
}

export function isLoopback(ip: IP): boolean {
  return ip.v4 ? ip.bytes[12] === 127 : ip.bytes.slice(0, 15).every((b) => b === 0) && ip.bytes[15] === 1;
}

export function isLinkLocalUnicast(ip: IP): boolean {
  return ip.v4 ? ip.bytes[12] === 169 && ip.bytes[13] === 254 : ip.bytes[0] === 0xfe && (ip.bytes[1] & 0xc0) === 0x80;
}

export function isLinkLocalMulticast(ip: IP): boolean {
  return ip.v4 ? ip.bytes[12] === 224 && ip.bytes[13] === 0 && ip.bytes[14] === 0 : ip.bytes[0] === 0xff && (ip.bytes[1] & 0x0f) === 0x02;
}
