/**
 * A pod template against the ResourceQuotas of its namespace: would creating its pods push a
 * quota past its hard limit? Quotas restricted by scopes are left out (they apply to some pods
 * only: by priority class, best effort, terminating).
 */
import type { PodTemplate } from './podTemplate';
import { formatQuantity } from './quantity';
import { podRequests, resourceNumbers } from './requests';
import type { PodSpecShape, ResourceQuotaShape } from './shapes';

export interface QuotaVerdict {
  readonly quota: string;
  /** The quota key, e.g. "requests.nvidia.com/gpu", "limits.memory", "pods". */
  readonly key: string;
  readonly hard: number;
  readonly used: number;
  /** What the template's pods would add. */
  readonly adds: number;
  readonly fits: boolean;
  /** e.g. "gpus: requests.nvidia.com/gpu 6 used + 4 > 8". */
  readonly text: string;
}

/** Limits of the pod computed like its requests: containers add up, init containers as a maximum. */
function podLimits(spec: PodSpecShape): Map<string, number> {
  const asRequests = (list: unknown) =>
    Array.isArray(list) ? list.map((c) => ({ restartPolicy: c?.restartPolicy, resources: { requests: c?.resources?.limits } })) : undefined;
  return podRequests({ containers: asRequests(spec.containers), initContainers: asRequests(spec.initContainers), overhead: spec.overhead });
}

/** What one pod adds to a quota key, or undefined for keys that are not about pods' resources. */
function perPod(key: string, requests: ReadonlyMap<string, number>, limits: ReadonlyMap<string, number>): number | undefined {
  if (key === 'pods' || key === 'count/pods') return 1;
  if (key === 'cpu' || key === 'memory' || key === 'ephemeral-storage') return requests.get(key) ?? 0;
  if (key.startsWith('requests.')) return requests.get(key.slice('requests.'.length)) ?? 0;
  if (key.startsWith('limits.')) return limits.get(key.slice('limits.'.length)) ?? 0;
  return undefined;
}

export function checkQuotas(template: PodTemplate, namespace: string, quotas: Iterable<ResourceQuotaShape>): QuotaVerdict[] {
  const requests = podRequests(template.spec);
  const limits = podLimits(template.spec);
  const pods = Math.max(1, template.replicas);
  const out: QuotaVerdict[] = [];
  for (const quota of quotas) {
    if ((quota.metadata?.namespace ?? '') !== namespace) continue;
    if ((quota.spec?.scopes?.length ?? 0) > 0 || quota.spec?.scopeSelector) continue;
    const name = quota.metadata?.name ?? '';
    const hard = resourceNumbers(quota.status?.hard ?? quota.spec?.hard);
    const used = resourceNumbers(quota.status?.used);
    for (const [key, limit] of hard) {
      const one = perPod(key, requests, limits);
      if (one === undefined || one === 0) continue;
      const adds = one * pods;
      const now = used.get(key) ?? 0;
      const fits = now + adds <= limit + 1e-9;
      const resource = key.replace(/^(requests|limits|count)[./]/, '');
      const show = (n: number) => formatQuantity(resource, n);
      out.push({
        quota: name,
        key,
        hard: limit,
        used: now,
        adds,
        fits,
        text: `${name}: ${key} ${show(now)} used + ${show(adds)} ${fits ? '<=' : '>'} ${show(limit)}`,
      });
    }
  }
  return out;
}
