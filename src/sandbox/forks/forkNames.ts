/**
 * How the Sandboxes view and the sandbox dashboard name a sandbox's forks: by the workload they
 * fork, never by the object standing in for it. A `local` fork's relay says "web (local)", read
 * from the fork label its pods carry (the relay Deployment is named "web-relay"); the preview
 * gate is no fork. Pure.
 */
import type { KubeObject } from '../../kube/types';
import { forkLabel, roleLabel } from '../labels';

/** The forked workload's name for one of the sandbox's Deployments or StatefulSets. */
export function forkName(workload: KubeObject): string {
  const labels = workload.metadata.labels ?? {};
  const template = (workload.spec as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined)?.template;
  const forked = labels[forkLabel] ?? template?.metadata?.labels?.[forkLabel];
  if (labels[roleLabel] === 'relay') return `${forked ?? workload.metadata.name} (local)`;
  return forked ?? workload.metadata.name;
}

/** The sandbox's forks, in the order given, without the preview gate. */
export function forkNames(workloads: readonly KubeObject[]): string[] {
  return workloads.filter((w) => w.metadata.labels?.[roleLabel] !== 'preview-gate').map(forkName);
}
