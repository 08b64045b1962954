import type { Disposable } from '../lifecycle';
import type { ClusterFacts, NodeFacts } from './types';

/** The parts of a v1 Node the cluster-aware rules read. */
interface NodeObject {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { taints?: { key: string; value?: string; effect: string }[]; unschedulable?: boolean };
  status?: { allocatable?: Record<string, string> };
}

/** Turns v1 Node objects (as listed from the API) into the plain facts the GPU rules take. */
export function nodeFacts(nodes: readonly NodeObject[]): NodeFacts[] {
  return nodes
    .filter((n) => !n.spec?.unschedulable)
    .map((n) => ({
      name: n.metadata?.name ?? '',
      labels: n.metadata?.labels ?? {},
      taints: (n.spec?.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
      allocatable: n.status?.allocatable ?? {},
    }));
}

/**
 * Where the editor gets cluster facts for the cluster-aware GPU rules: the connected context's
 * nodes, kept current by the caller (e.g. from the shared Node watch). Plain data; the engine
 * never talks to a cluster itself.
 */
export interface ClusterFactsSource {
  current(): ClusterFacts | undefined;
  onDidChange(listener: () => void): Disposable;
}
