/**
 * ResourceQuota admission for pods: a pod whose requests would push a namespace past a quota's
 * `hard` limits is refused with 403 "exceeded quota", and a quota on cpu/memory requires the pod
 * to state those requests, as the API server's quota admission plugin does.
 */
import type { KubeObject } from '../../src/kube/types';
import { parseQuantity, podRequests } from './quantity';
import type { ResourceInfo, ResourceRegistry } from './resources';
import { ApiError, failure } from './status';
import type { ObjectStore } from './store';

function active(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

function resourceOf(key: string): string | undefined {
  if (key.startsWith('requests.')) return key.slice('requests.'.length);
  if (key === 'cpu' || key === 'memory') return key;
  return undefined;
}

function show(key: string, value: number, raw?: string): string {
  return `${key}=${raw ?? (Number.isInteger(value) ? String(value) : `${Math.round(value * 1000)}m`)}`;
}

export function admitPod(store: ObjectStore, registry: ResourceRegistry, info: ResourceInfo, pod: KubeObject): void {
  const ns = pod.metadata.namespace;
  const quotas = store.list(registry.kind('ResourceQuota'), ns);
  if (quotas.length === 0) return;
  const requests = podRequests(pod.spec as Parameters<typeof podRequests>[0]);
  const pods = store.list(registry.kind('Pod'), ns).filter(active);
  for (const quota of quotas) {
    const hard = ((quota.spec as { hard?: Record<string, string> } | undefined)?.hard ?? {});
    const missing = Object.keys(hard).map(resourceOf).filter((r): r is 'cpu' | 'memory' => (r === 'cpu' || r === 'memory') && !requests.has(r));
    if (missing.length > 0) {
      throw new ApiError(failure(403, 'Forbidden', `pods "${pod.metadata.name}" is forbidden: failed quota: ${quota.metadata.name}: must specify ${missing.join(',')}`, { name: pod.metadata.name, kind: info.plural }));
    }
    const over: { key: string; requested: number; used: number; limit: string }[] = [];
    for (const [key, limit] of Object.entries(hard)) {
      const resource = key === 'pods' ? 'pods' : resourceOf(key);
      if (!resource) continue;
      const requested = resource === 'pods' ? 1 : (requests.get(resource) ?? 0);
      if (requested === 0) continue;
      const used = resource === 'pods' ? pods.length : pods.reduce((sum, p) => sum + (podRequests(p.spec as Parameters<typeof podRequests>[0]).get(resource) ?? 0), 0);
      if (used + requested > parseQuantity(limit) + 1e-9) over.push({ key, requested, used, limit });
    }
    if (over.length > 0) {
      const list = (f: (o: (typeof over)[number]) => string) => over.map(f).join(',');
      const message = `pods "${pod.metadata.name}" is forbidden: exceeded quota: ${quota.metadata.name}, requested: ${list((o) => show(o.key, o.requested))}, used: ${list((o) => show(o.key, o.used))}, limited: ${list((o) => show(o.key, 0, o.limit))}`;
      throw new ApiError(failure(403, 'Forbidden', message, { name: pod.metadata.name, kind: info.plural }));
    }
  }
}
