/**
 * The cluster state a preflight needs, read on demand: nodes, the pods that hold resources
 * (not finished, all namespaces), and the ResourceQuotas of the target namespace. What cannot be
 * read (no right to list nodes or pods cluster-wide) becomes a caveat instead of a failure.
 */
import { ExplainedError } from '../kube/errors';
import { kinds, type KindInfo } from '../kube/kinds';
import type { KubeObject } from '../kube/types';
import { nodeUsage, type PreflightCluster } from './preflight';
import type { NodeShape, PodShape, ResourceQuotaShape } from './shapes';

/** The part of KubeClient the preflight reads with. */
export interface PreflightLister {
  listAll<T extends KubeObject>(kind: KindInfo, namespace: string | undefined, options?: { fieldSelector?: string; signal?: AbortSignal }): Promise<{ items: T[] }>;
}

export interface LoadedPreflightCluster {
  readonly cluster: PreflightCluster;
  /** What could not be read and what that means for the answer. */
  readonly caveats: readonly string[];
}

const unfinished = 'status.phase!=Succeeded,status.phase!=Failed';

export async function loadPreflightCluster(client: PreflightLister, namespace: string, signal?: AbortSignal): Promise<LoadedPreflightCluster> {
  const caveats: string[] = [];
  const read = async <T>(what: Promise<{ items: T[] }>, caveat: string): Promise<T[]> => {
    try {
      return (await what).items;
    } catch (err) {
      if (err instanceof ExplainedError && (err.reason === 'Forbidden' || err.reason === 'NotFound')) {
        caveats.push(`${caveat} (${err.why})`);
        return [];
      }
      throw err;
    }
  };
  const [nodes, pods, quotas] = await Promise.all([
    read(client.listAll<KubeObject>(kinds.Node, undefined, { signal }), 'nodes could not be listed, so placement was not checked'),
    read(
      client.listAll<KubeObject>(kinds.Pod, undefined, { fieldSelector: unfinished, signal }),
      'pods could not be listed in all namespaces, so free capacity ignores what other pods use',
    ),
    read(client.listAll<KubeObject>(kinds.ResourceQuota, namespace, { signal }), `quotas in ${namespace} could not be listed, so they were not checked`),
  ]);
  return {
    cluster: { nodes: nodes as NodeShape[], usage: nodeUsage(pods as PodShape[]), quotas: quotas as ResourceQuotaShape[] },
    caveats,
  };
}
