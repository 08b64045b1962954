/** Kubernetes resource quantities ("500m", "1Gi", "4", "1e3") as numbers, for scheduling arithmetic. */
const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

export function parseQuantity(value: string | number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/.exec(value.trim());
  if (!m) return Number.NaN;
  const unit = m[2] ?? '';
  return Number(m[1]) * (binary[unit] ?? decimal[unit] ?? 1);
}

export type Resources = Map<string, number>;

interface ContainerResources {
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

/** Effective requests of one container: a limit alone implies the request. */
function containerRequests(c: ContainerResources): Resources {
  const out: Resources = new Map();
  const requests = c.resources?.requests ?? {};
  const limits = c.resources?.limits ?? {};
  for (const [k, v] of Object.entries(limits)) out.set(k, parseQuantity(v));
  for (const [k, v] of Object.entries(requests)) out.set(k, parseQuantity(v));
  return out;
}

/** A pod's requests: sum over containers, max with each init container. */
export function podRequests(spec: { containers?: ContainerResources[]; initContainers?: ContainerResources[] } | undefined): Resources {
  const total: Resources = new Map();
  for (const c of spec?.containers ?? []) for (const [k, v] of containerRequests(c)) total.set(k, (total.get(k) ?? 0) + v);
  for (const c of spec?.initContainers ?? []) for (const [k, v] of containerRequests(c)) total.set(k, Math.max(total.get(k) ?? 0, v));
  return total;
}
