/**
 * resource.Quantity as the API server reads and prints it: the full grammar (binary and decimal
 * SI suffixes including n and u, exponents "1e9"/"1E3"), exact arithmetic with BigInt, rounding up
 * to nano units as ParseQuantity does, and the canonical String() the server's messages show
 * ("0.5" -> "500m", "1000" -> "1k", "1536Mi" stays "1536Mi").
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** value = mantissa × 10^exponent, exactly. */
  mantissa: bigint;
  exponent: number;
  format: QuantityFormat;
}

const DECIMAL_SI: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SI: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/;

const POW10: readonly bigint[] = Array.from({ length: 64 }, (_, i) => 10n ** BigInt(i));

/** 10^n as a bigint (n >= 0), from a table for the exponents quantities use. */
export function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

/** Parses a quantity written as a string or a YAML number; undefined when the server's decoder would refuse it. */
export function parseQuantity(input: unknown): Quantity | undefined {
  let raw: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return undefined;
    raw = String(input);
  } else if (typeof input === 'string') raw = input.trim();
  else return undefined;
  const m = NUMBER.exec(raw);
  if (!m) return undefined;
  const [, sign, whole, fraction = '', suffix] = m;
  if (whole.length + fraction.length === 0) return undefined;
  let exponent = -fraction.length;
  let mantissa = BigInt(whole + fraction || '0');
  let format: QuantityFormat = 'DecimalSI';
  if (suffix in BINARY_SI) {
    mantissa *= 1n << BigInt(BINARY_SI[suffix]);
    format = 'BinarySI';
  } else if (suffix in DECIMAL_SI) {
    exponent += DECIMAL_SI[suffix];
  } else if (/^[eE][+-]?\d+$/.test(suffix)) {
    exponent += Number(suffix.slice(1));
    format = 'DecimalExponent';
  } else return undefined;
  if (sign === '-') mantissa = -mantissa;
  // Values finer than a nano unit round up (away from zero) to one nano, as the server does.
  if (exponent < -9 && mantissa !== 0n) {
    const div = pow10(-9 - exponent);
    const q = mantissa / div;
    mantissa = q * div === mantissa ? q : q + (mantissa > 0n ? 1n : -1n);
    exponent = -9;
  }
  return { mantissa, exponent, format };
}

/** -1, 0 or 1 as a compares to b. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const e = Math.min(a.exponent, b.exponent);
  const x = a.mantissa * pow10(a.exponent - e);
  const y = b.mantissa * pow10(b.exponent - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function sign(q: Quantity): number {
  return q.mantissa > 0n ? 1 : q.mantissa < 0n ? -1 : 0;
}

/** Whether the value is a whole number (MilliValue() % 1000 == 0). */
export function isWhole(q: Quantity): boolean {
  if (q.exponent >= 0) return true;
  return q.mantissa % pow10(-q.exponent) === 0n;
}

/** The value as a JavaScript number (for ratios and messages; exact for everything people write). */
export function toNumber(q: Quantity): number {
  return Number(q.mantissa) * 10 ** q.exponent;
}

function stripFactors(m: bigint, factor: bigint): [bigint, number] {
  let times = 0;
  if (m === 0n) return [m, 0];
  while (m % factor === 0n) {
    m /= factor;
    times++;
  }
  return [m, times];
}

const SI_SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BIN_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** Quantity.String(): the canonical form the server prints. */
export function formatQuantity(q: Quantity): string {
  if (q.mantissa === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    const lt1024 = compareQuantities(q, { mantissa: 1024n, exponent: 0, format }) < 0 && compareQuantities(q, { mantissa: -1024n, exponent: 0, format }) > 0;
    if (lt1024 || !isWhole(q)) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    const whole = q.exponent >= 0 ? q.mantissa * pow10(q.exponent) : q.mantissa / pow10(-q.exponent);
    const [m, times] = stripFactors(whole < 0n ? -whole : whole, 1024n);
    const t = Math.min(times, BIN_SUFFIX.length - 1);
    const value = m * 1024n ** BigInt(times - t);
    return `${whole < 0n ? '-' : ''}${value}${BIN_SUFFIX[t]}`;
  }
  const negative = q.mantissa < 0n;
  const [stripped, times] = stripFactors(negative ? -q.mantissa : q.mantissa, 10n);
  let m = stripped;
  let e = q.exponent + times;
  const rem = ((e % 3) + 3) % 3;
  if (rem !== 0) {
    m *= pow10(rem);
    e -= rem;
  }
  let suffix: string;
  if (format === 'DecimalExponent') suffix = e === 0 ? '' : `e${e}`;
  else suffix = SI_SUFFIX[e] ?? `e${e}`;
  return `${negative ? '-' : ''}${m}${suffix}`;
}
