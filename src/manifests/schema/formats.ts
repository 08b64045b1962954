/** Value formats Kubernetes checks on the server: quantities, DNS-1123 names, label keys and values. */

const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[mkMGTPE]|[eE][+-]?\d+)?$/;
const DNS1123_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(?:(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Returns why a quantity is malformed, or undefined when it is well formed. */
export function quantityProblem(raw: string): string | undefined {
  if (QUANTITY.test(raw)) return undefined;
  const m = raw.match(/^([+-]?[\d.]+)([A-Za-z]+)$/);
  if (m) {
    const known = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'm', 'k', 'M', 'G', 'T', 'P', 'E'];
    const near = known.find((k) => k.toLowerCase() === m[2].toLowerCase());
    return `unit "${m[2]}" is not a Kubernetes quantity suffix${near ? ` (did you mean "${m[1]}${near}"?)` : ''}; use Ki, Mi, Gi, Ti, Pi, Ei, m, k, M, G, T, P or E`;
  }
  return 'expected a number with an optional suffix such as 500m, 128Mi or 2';
}

/**
 * The quantity with its suffix's case corrected, when that is the only problem ("500mi" -> "500Mi",
 * only for binary suffixes, whose case is unambiguous; "m" and "M" are both valid and differ by 10^9).
 */
export function quantityCaseFix(raw: string): string | undefined {
  const m = raw.match(/^([+-]?[\d.]+)([A-Za-z]+)$/);
  if (!m) return undefined;
  const known = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'k', 'M', 'G', 'T', 'P', 'E'];
  const near = known.filter((k) => k.toLowerCase() === m[2].toLowerCase());
  // "m" and "M" differ by case and by a factor of 10^9: only fix a binary suffix, whose case is unambiguous.
  const binary = near.find((k) => k.endsWith('i'));
  const fixed = binary ? `${m[1]}${binary}` : m[2] === 'K' ? `${m[1]}k` : undefined;
  return fixed && QUANTITY.test(fixed) ? fixed : undefined;
}

/** Parses a well-formed quantity into a number (fractional cores, bytes); NaN when malformed. */
export function quantityValue(raw: string): number {
  if (!QUANTITY.test(raw)) return NaN;
  const m = raw.match(/^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$/);
  if (!m) return NaN;
  const n = Number(m[1]);
  const suffix = m[2];
  const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
  const decimal: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
  if (suffix in binary) return n * binary[suffix];
  if (suffix in decimal) return n * decimal[suffix];
  return n * 10 ** Number(suffix.slice(1));
}

export function dns1123LabelProblem(name: string): string | undefined {
  if (name.length > 63) return `must be at most 63 characters (has ${name.length})`;
  if (!DNS1123_LABEL.test(name)) return 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit';
  return undefined;
}

export function dns1123SubdomainProblem(name: string): string | undefined {
  if (name.length > 253) return `must be at most 253 characters (has ${name.length})`;
  if (!DNS1123_SUBDOMAIN.test(name)) return 'must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit';
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `must be at most 63 characters (has ${value.length})`;
  if (!LABEL_VALUE.test(value)) return 'must be empty or consist of letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  return undefined;
}

export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (slash !== -1) {
    const prefix = key.slice(0, slash);
    const p = dns1123SubdomainProblem(prefix);
    if (p) return `prefix "${prefix}" ${p}`;
  }
  if (name.length > 63) return `name part must be at most 63 characters (has ${name.length})`;
  if (!LABEL_NAME.test(name)) return 'name part must consist of letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  return undefined;
}

export function isBase64(value: string): boolean {
  // Go's base64 decoding skips line breaks, not spaces.
  return BASE64.test(value.replace(/[\r\n]+/g, ''));
}
