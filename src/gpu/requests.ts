/**
 * What a pod asks the scheduler for, computed the way the scheduler does it
 * (k8s.io/component-helpers/resource PodRequests):
 *
 * - a limit without a request implies an equal request (API defaulting; for GPUs, which are
 *   extended resources and cannot be overcommitted, it is the only way they are ever written);
 * - regular containers and restartable ("sidecar") init containers add up;
 * - an ordinary init container runs alone, next to the sidecars started before it, so init
 *   containers count as a maximum, not a sum;
 * - pod overhead (RuntimeClass) is added on top.
 */
import { parseQuantity } from './quantity';
import type { ContainerShape, PodSpecShape, ResourceList } from './shapes';

export type ResourceFilter = (resource: string) => boolean;

const everything: ResourceFilter = () => true;

/** Requests of one container, with limits standing in for missing requests. */
export function containerRequests(container: ContainerShape, filter: ResourceFilter = everything): Map<string, number> {
  const out = new Map<string, number>();
  addContainerRequests(out, container, filter);
  return out;
}

/** Adds one container's requests into a running total (no intermediate map: this runs per pod). */
function addContainerRequests(into: Map<string, number>, container: ContainerShape, filter: ResourceFilter): void {
  const requests = container.resources?.requests;
  const limits = container.resources?.limits;
  if (limits) {
    for (const name in limits) {
      if (filter(name) && (requests === undefined || requests[name] === undefined)) add(into, name, limits[name]);
    }
  }
  if (requests) {
    for (const name in requests) if (filter(name)) add(into, name, requests[name]);
  }
}

function add(into: Map<string, number>, name: string, raw: ResourceList[string]): void {
  const n = parseQuantity(raw);
  if (n !== undefined && n > 0) into.set(name, (into.get(name) ?? 0) + n);
}

function addInto(into: Map<string, number>, from: ReadonlyMap<string, number>): void {
  for (const [name, n] of from) into.set(name, (into.get(name) ?? 0) + n);
}

const none: readonly ContainerShape[] = [];

/** The container list as given, or nothing when it is not a list; entries are checked by callers. */
function containersOf(value: unknown): readonly (ContainerShape | null | undefined)[] {
  return Array.isArray(value) ? value : none;
}

/** The pod's effective request per resource; resources with a zero request are left out. */
export function podRequests(spec: PodSpecShape | undefined, filter: ResourceFilter = everything): Map<string, number> {
  const total = new Map<string, number>();
  if (!spec) return total;
  for (const c of containersOf(spec.containers)) if (c && typeof c === 'object') addContainerRequests(total, c, filter);

  if (spec.initContainers === undefined) return withOverhead(total, spec, filter);
  const sidecars = new Map<string, number>();
  const initPeak = new Map<string, number>();
  for (const c of containersOf(spec.initContainers)) {
    if (!c || typeof c !== 'object') continue;
    const own = containerRequests(c, filter);
    if (c.restartPolicy === 'Always') {
      addInto(sidecars, own);
      continue;
    }
    const during = new Map(sidecars);
    addInto(during, own);
    for (const [name, n] of during) initPeak.set(name, Math.max(initPeak.get(name) ?? 0, n));
  }
  addInto(total, sidecars);
  for (const [name, n] of initPeak) total.set(name, Math.max(total.get(name) ?? 0, n));
  return withOverhead(total, spec, filter);
}

function withOverhead(total: Map<string, number>, spec: PodSpecShape, filter: ResourceFilter): Map<string, number> {
  if (spec.overhead && typeof spec.overhead === 'object') {
    for (const name in spec.overhead) if (filter(name)) add(total, name, spec.overhead[name]);
  }
  return total;
}

/**
 * True when any container, init container or the overhead names a resource the filter accepts.
 * Allocates nothing: it runs for every pod in the cache, and most pods ask for no GPU.
 */
export function mentionsAny(spec: PodSpecShape | undefined, filter: ResourceFilter): boolean {
  if (!spec) return false;
  return containersMention(spec.containers, filter) || containersMention(spec.initContainers, filter) || listMentions(spec.overhead, filter);
}

function containersMention(list: unknown, filter: ResourceFilter): boolean {
  if (!Array.isArray(list)) return false;
  for (const c of list as (ContainerShape | null)[]) {
    const resources = c?.resources;
    if (resources && (listMentions(resources.requests, filter) || listMentions(resources.limits, filter))) return true;
  }
  return false;
}

function listMentions(list: ResourceList | undefined, filter: ResourceFilter): boolean {
  if (list && typeof list === 'object') for (const name in list) if (filter(name)) return true;
  return false;
}

/** A resource list as numbers, skipping values that do not parse. */
export function resourceNumbers(list: ResourceList | undefined, filter: ResourceFilter = everything): Map<string, number> {
  const out = new Map<string, number>();
  if (!list) return out;
  for (const name in list) {
    if (!filter(name)) continue;
    const n = parseQuantity(list[name]);
    if (n !== undefined) out.set(name, n);
  }
  return out;
}
