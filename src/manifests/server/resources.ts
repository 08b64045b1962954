/**
 * Resource names and quantities (requests, limits, quotas): core/validation's
 * validateResourceRequirements, ValidateResourceQuantityValue and the helpers that say which
 * resources are standard, extended, integer-only or not overcommittable (GPUs, hugepages).
 */
import { forbidden, go, invalid, required, type Report } from './fieldErrors';
import type { FieldPath } from './fieldPath';
import { IS_NEGATIVE, isQualifiedName } from './names';
import { compareQuantities, formatQuantity, isWhole, parseQuantity, pow10, sign, type Quantity } from './quantity';
import { isObj } from './read';

const STANDARD_CONTAINER = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods', 'quotas', 'services', 'replicationcontrollers',
  'secrets', 'configmaps', 'persistentvolumeclaims', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers',
]);
const STANDARD_QUOTA = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods', 'quotas', 'services', 'replicationcontrollers',
  'secrets', 'persistentvolumeclaims', 'configmaps', 'services.nodeports', 'services.loadbalancers',
]);
const INTEGER = new Set(['pods', 'quotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers']);

export const isHugePages = (name: string): boolean => name.startsWith('hugepages-');
const isQuotaHugePages = (name: string): boolean => name.startsWith('hugepages-') || name.startsWith('requests.hugepages-');

/** Unprefixed names and names under kubernetes.io/ belong to Kubernetes. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

export function isExtendedResource(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

/** Extended resources and hugepages cannot be overcommitted: request must equal limit. */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePages(name);
}

export function isIntegerResource(name: string): boolean {
  return INTEGER.has(name) || isExtendedResource(name);
}

export function validateResourceName(r: Report, name: string, path: FieldPath): boolean {
  const before = r.count;
  for (const m of isQualifiedName(name)) r.add(invalid(path, name, m));
  if (r.count > before) return false;
  if (!name.includes('/') && !STANDARD.has(name) && !isQuotaHugePages(name)) {
    r.add(invalid(path, name, 'must be a standard resource type or fully qualified'));
    return false;
  }
  return true;
}

export function validateContainerResourceName(r: Report, name: string, path: FieldPath): void {
  const before = r.count;
  validateResourceName(r, name, path);
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER.has(name) && !isHugePages(name)) r.add(invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNativeResource(name) && !isExtendedResource(name) && r.count === before) {
    r.add(invalid(path, name, "doesn't follow extended resource name standard"));
  }
}

export function validateQuotaResourceName(r: Report, name: string, path: FieldPath): void {
  validateResourceName(r, name, path);
  if (!name.includes('/') && !STANDARD_QUOTA.has(name) && !isQuotaHugePages(name)) r.add(invalid(path, name, 'must be a standard resource for quota'));
}

/** ValidateResourceQuantityValue: not negative; whole for integer resources. */
export function validateQuantityValue(r: Report, name: string, q: Quantity, path: FieldPath): void {
  if (sign(q) < 0) r.add(invalid(path, formatQuantity(q), IS_NEGATIVE));
  if (isIntegerResource(name) && !isWhole(q)) r.add(invalid(path, go(formatQuantity(q)), 'must be an integer'));
}

/** The quantities of a resource list that parse (the schema check reports the others). */
export function quantities(list: unknown): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  if (!isObj(list)) return out;
  for (const [k, v] of Object.entries(list)) {
    const q = parseQuantity(v);
    if (q) out.set(k, q);
  }
  return out;
}

const HUGEPAGE_SIZES: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 };

function hugePageProblem(name: string, q: Quantity): string | undefined {
  const m = /^hugepages-(\d+)(Ki|Mi|Gi)$/.exec(name);
  if (!m) return undefined;
  const size = BigInt(Number(m[1]) * HUGEPAGE_SIZES[m[2]]);
  if (q.exponent < 0 || (q.mantissa * pow10(q.exponent)) % size !== 0n) return `${formatQuantity(q)} is not positive integer multiple of ${name}`;
  return undefined;
}

/** What requests and limits alike get after their own checks: the hugepage size, and which kind of resource it is. */
function noteKind(r: Report, name: string, q: Quantity, path: FieldPath, seen: { hugePages: boolean; cpuOrMemory: boolean }): void {
  if (isHugePages(name)) {
    seen.hugePages = true;
    const problem = hugePageProblem(name, q);
    if (problem) r.add(invalid(path, formatQuantity(q), problem));
  }
  if (name === 'cpu' || name === 'memory') seen.cpuOrMemory = true;
}

/** validateResourceRequirements for a container (or pod-level resources). */
export function validateResourceRequirements(r: Report, resources: unknown, path: FieldPath): void {
  if (!isObj(resources)) return;
  const limPath = path.child('limits');
  const reqPath = path.child('requests');
  const limits = quantities(resources.limits);
  const requests = quantities(resources.requests);
  const seen = { hugePages: false, cpuOrMemory: false };
  for (const [name, q] of limits) {
    const p = limPath.key(name);
    const before = r.count;
    validateContainerResourceName(r, name, p);
    validateQuantityValue(r, name, q, p);
    tagResource(r, before, name);
    noteKind(r, name, q, p, seen);
  }
  for (const [name, q] of requests) {
    const p = reqPath.key(name);
    const before = r.count;
    validateContainerResourceName(r, name, p);
    validateQuantityValue(r, name, q, p);
    const limit = limits.get(name);
    if (limit) {
      const cmp = compareQuantities(q, limit);
      if (cmp !== 0 && !isOvercommitAllowed(name)) r.add(invalid(reqPath, formatQuantity(q), `must be equal to ${name} limit of ${formatQuantity(limit)}`));
      else if (cmp > 0) r.add(invalid(reqPath, formatQuantity(q), `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`));
    } else if (!isOvercommitAllowed(name)) {
      r.add(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    tagResource(r, before, name);
    noteKind(r, name, q, p, seen);
  }
  if (seen.hugePages && !seen.cpuOrMemory) r.add(forbidden(path, 'HugePages require cpu or memory'));
}

/** Marks the errors added since `before` as being about one resource (GPU rules report theirs themselves). */
function tagResource(r: Report, before: number, name: string): void {
  for (let i = before; i < r.errors.length; i++) r.errors[i].resource = name;
}
