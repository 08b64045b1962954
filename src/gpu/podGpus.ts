/**
 * GPUs a pod asks for. GPUs are extended resources: whole numbers that cannot be overcommitted,
 * so a limit alone implies an equal request. The pod's effective request follows the scheduler:
 * regular containers and restartable ("sidecar") init containers add up, while each ordinary init
 * container runs alone (next to the sidecars started before it), so init containers count as a
 * maximum, not a sum.
 */

/** True for the extended resources Tether counts as GPUs. */
export function isGpuResource(name: string): boolean {
  return name === 'nvidia.com/gpu' || name === 'amd.com/gpu' || name.startsWith('nvidia.com/mig-');
}

export interface PodGpus {
  /** GPUs of every kind added together (a MIG slice counts as one). */
  total: number;
  /** Per resource name, e.g. { "nvidia.com/gpu": 2 }. Only resources with a count above zero. */
  byResource: Record<string, number>;
}

interface ContainerLike {
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  restartPolicy?: string;
}

interface PodLike {
  spec?: unknown;
}

function count(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
  if (typeof value !== 'string' || !/^\d+$/.test(value.trim())) return 0;
  return Number(value.trim());
}

/** GPU requests of one container; a limit without a request implies the request. */
export function containerGpus(container: ContainerLike): Map<string, number> {
  const out = new Map<string, number>();
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  for (const name of new Set([...Object.keys(requests), ...Object.keys(limits)])) {
    if (!isGpuResource(name)) continue;
    const n = name in requests ? count(requests[name]) : count(limits[name]);
    if (n > 0) out.set(name, n);
  }
  return out;
}

function add(into: Map<string, number>, from: Map<string, number>): void {
  for (const [name, n] of from) into.set(name, (into.get(name) ?? 0) + n);
}

function asContainers(value: unknown): ContainerLike[] {
  return Array.isArray(value) ? (value.filter((c) => c && typeof c === 'object') as ContainerLike[]) : [];
}

export function podGpus(pod: PodLike): PodGpus {
  const spec = (pod.spec ?? {}) as { containers?: unknown; initContainers?: unknown };
  const running = new Map<string, number>();
  for (const c of asContainers(spec.containers)) add(running, containerGpus(c));

  const peak = new Map<string, number>();
  const sidecars = new Map<string, number>();
  for (const c of asContainers(spec.initContainers)) {
    const own = containerGpus(c);
    if (c.restartPolicy === 'Always') {
      add(sidecars, own);
      continue;
    }
    const during = new Map(sidecars);
    add(during, own);
    for (const [name, n] of during) peak.set(name, Math.max(peak.get(name) ?? 0, n));
  }
  add(running, sidecars);

  const byResource: Record<string, number> = {};
  let total = 0;
  for (const name of new Set([...running.keys(), ...peak.keys()])) {
    const n = Math.max(running.get(name) ?? 0, peak.get(name) ?? 0);
    if (n > 0) {
      byResource[name] = n;
      total += n;
    }
  }
  return { total, byResource };
}
