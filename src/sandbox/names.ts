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

/** The name a sandbox was asked for by (`--name pr-42`), or else the one of its developer and branch. */
export function requestedSandbox(input: { sandbox?: string; developer: string; branch: string }): string {
  return input.sandbox ?? sandboxName(input.developer, input.branch);
}

/** Why `name` cannot name a sandbox (it becomes a namespace and prefixes object names), or undefined when it can. */
export function sandboxNameProblem(name: string): string | undefined {
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name)) return `"${name}" is not a DNS-1123 label starting with a letter (lower-case letters, digits and "-")`;
  if (name.length > 40) return `"${name}" is longer than 40 characters, which leaves too little room for the names of the sandbox's objects`;
  return undefined;
}

/** The Lease of a sandbox: "tether-sandbox" in its own namespace, prefixed with its name in a shared one. */
export function sandboxLeaseName(sandbox: string, ownNamespace: boolean): string {
  return ownNamespace ? 'tether-sandbox' : boundedName([sandbox, 'tether-sandbox']);
}

/** A label value (at most 63 of [A-Za-z0-9-_.], alphanumeric at both ends) for the developer. */
export function ownerLabelValue(developer: string): string {
  return boundedName([developer]);
}
