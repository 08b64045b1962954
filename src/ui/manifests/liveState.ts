/**
 * What a workload in a manifest looks like in the selected context, in a few words for its
 * CodeLens: "3/3 ready · 0 restarts", "CrashLoopBackOff · 1/2 ready · 7 restarts", "not in
 * cluster". Pure: built from the cached objects of the workload's namespace, grouped the way the
 * Cluster view groups them.
 */
import type { KubeObject } from '../../kube/types';
import { summarizePod } from '../views/podSummary';
import { groupWorkloads, workloadProgress, type NamespaceObjects } from '../views/workloads';

export type LiveState =
  | { phase: 'loading' }
  | { phase: 'failed'; message: string }
  | { phase: 'absent' }
  | { phase: 'present'; text: string; healthy: boolean };

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The state of `kind`/`name` among a namespace's cached objects. */
export function liveState(kind: string, name: string, objects: NamespaceObjects): LiveState {
  if (kind === 'Pod') {
    const pod = [...objects.pods.values()].find((p) => p.metadata.name === name);
    if (!pod) return { phase: 'absent' };
    const s = summarizePod(pod);
    const head = s.reason ?? s.phase;
    return { phase: 'present', text: `${head} · ${s.ready}/${s.total} ready · ${plural(s.restarts, 'restart')}`, healthy: s.health === 'ok' || s.health === 'succeeded' };
  }
  const group = groupWorkloads(objects).workloads.find((g) => g.kind === kind && g.name === name && g.object);
  if (!group) return { phase: 'absent' };
  const progress = workloadProgress(group);
  const pods = group.pods.map(summarizePod);
  const restarts = pods.reduce((n, p) => n + p.restarts, 0);
  const trouble = pods.find((p) => p.health === 'error' || p.health === 'warning');
  const parts = [...(trouble?.reason ? [trouble.reason] : []), progress.text, plural(restarts, 'restart')];
  return { phase: 'present', text: parts.join(' · '), healthy: !progress.failed && !trouble };
}

/** The lens title for a state. */
export function liveStateTitle(state: LiveState): string {
  switch (state.phase) {
    case 'loading':
      return '$(sync~spin) reading the cluster…';
    case 'failed':
      return `$(warning) ${state.message}`;
    case 'absent':
      return '$(circle-slash) not in cluster';
    case 'present':
      return `${state.healthy ? '$(pass)' : '$(warning)'} ${state.text}`;
  }
}

/** An empty namespace, for kinds the lens did not need to watch. */
export function emptyObjects(): NamespaceObjects {
  const none = new Map<string, KubeObject>();
  return { pods: none, replicaSets: none, deployments: none, statefulSets: none, daemonSets: none, jobs: none, cronJobs: none };
}
