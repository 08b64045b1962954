/**
 * Kubernetes resource quantities ("500m", "1.5Gi", "2e3", "4") as plain numbers in base units:
 * cores for CPU, bytes for memory, a count for extended resources. Follows the grammar of
 * k8s.io/apimachinery/pkg/api/resource: a signed decimal number, then either a binary suffix
 * (Ki Mi Gi Ti Pi Ei), a decimal suffix (n u m "" k M G T P E) or a decimal exponent (e3, E-2).
 */

const binary: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Decimal suffixes as powers of ten, so "100n" is exactly 1e-7 and not 100 * 1e-9. */
const decimal: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const shape = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** The value of a quantity, or undefined when the text is not a Kubernetes quantity. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = shape.exec(value.trim());
  if (!match) return undefined;
  const [, digits, exponent, suffix = ''] = match;
  if (exponent !== undefined) return Number(`${digits}${exponent}`);
  if (suffix in binary) return Number(digits) * binary[suffix];
  return Number(`${digits}e${decimal[suffix]}`);
}

/** Like parseQuantity, but says what is wrong with a value that does not parse. */
export function quantityOrError(value: unknown, what: string): number | Error {
  const n = parseQuantity(value);
  if (n !== undefined) return n;
  return new Error(
    `${what} is ${JSON.stringify(value)}, which is not a Kubernetes quantity; ` +
      'write a number with an optional suffix such as 500m, 2, 1.5Gi, 512Mi or 1e3',
  );
}

/**
 * Compact display: CPU in cores or millicores, memory in binary units, anything else as a number.
 */
export function formatQuantity(resource: string, value: number): string {
  if (resource === 'cpu') {
    if (value !== 0 && Math.abs(value) < 1) return `${round(value * 1000)}m`;
    return `${round(value)}`;
  }
  if (resource === 'memory' || resource === 'ephemeral-storage' || resource.startsWith('hugepages-')) {
    for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const) {
      if (Math.abs(value) >= binary[unit]) return `${round(value / binary[unit])}${unit}`;
    }
  }
  return `${round(value)}`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
