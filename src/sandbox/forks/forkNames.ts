/**
 * How the Sandboxes view and the sandbox dashboard name a sandbox's forks: by the workload they
 * fork, never by the object standing in for it. The sandbox's agent stands in for every `local`
 * fork, which it lists in an annotation ("web (local)"); the agent itself (with the shareable
 * host's gate) is no fork. Pure.
 */
import type { KubeObject } from '../../kube/types';
import { forkLabel, localForksAnnotation, roleLabel } from '../labels';

/** The forked workload's name for one of the sandbox's Deployments or StatefulSets. */
export function forkName(workload: KubeObject): string {
  const labels = workload.metadata.labels ?? {};
  const template = (workload.spec as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined)?.template;
  return labels[forkLabel] ?? template?.metadata?.labels?.[forkLabel] ?? workload.metadata.name;
}

/** The sandbox's forks, in the order given: the agent's local forks where the agent is. */
export function forkNames(workloads: readonly KubeObject[]): string[] {
  return workloads.flatMap((w) => {
    if (w.metadata.labels?.[roleLabel] !== 'agent') return [forkName(w)];
    const local = w.metadata.annotations?.[localForksAnnotation] ?? '';
    return local.split(',').filter(Boolean).map((name) => `${name} (local)`);
  });
}
