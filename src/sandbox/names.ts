/**
 * Sandbox and object names: DNS-1123 labels (lower-case letters, digits, "-", at most 63, starting
 * with a letter so they are valid Service names too), made from developer and branch. A name that
 * must be cut keeps a stable hash of the whole so two long names never collide.
 */
import { createHash } from 'node:crypto';

export const maxNameLength = 63;

/** Lower-case, [a-z0-9-] only, runs of "-" collapsed, no "-" at either end. May be empty. */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 6);
}

/**
 * The parts joined by "-" as one DNS-1123 label of at most `max` characters. When too long, the
 * joined text is cut and ends with "-" + 6 hex characters of its SHA-256 (stable across runs).
 */
export function boundedName(parts: readonly string[], max = maxNameLength): string {
  const joined = parts.map(slug).filter(Boolean).join('-') || 'x';
  const name = /^[a-z]/.test(joined) ? joined : `t-${joined}`;
  if (name.length <= max) return name;
  const head = name.slice(0, max - 7).replace(/-+$/, '');
  return `${head}-${hash(name)}`;
}

/** The sandbox of one developer on one branch, e.g. "jane-feature-login". */
export function sandboxName(developer: string, branch: string): string {
  return boundedName([developer, branch.replace(/^refs\/heads\//, '')]);
}

/** A label value (at most 63 of [A-Za-z0-9-_.], alphanumeric at both ends) for the developer. */
export function ownerLabelValue(developer: string): string {
  return boundedName([developer]);
}
