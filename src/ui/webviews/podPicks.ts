/**
 * The pods offered when "Show Pod Details" runs from the command palette: one row per pod with its
 * namespace and what its Cluster view row would say, troubled pods first. Pure.
 */
import type { KubeObject } from '../../kube/types';
import { formatAge } from '../views/age';
import { describePodRow, summarizePod, type Health } from '../views/podSummary';

export interface PodPick {
  label: string;
  description: string;
  namespace: string;
  name: string;
}

const attention: Health[] = ['error', 'warning', 'pending', 'terminating', 'progressing', 'ok', 'succeeded'];

export function podPicks(pods: readonly KubeObject[], now: number): PodPick[] {
  return pods
    .map((pod) => {
      const summary = summarizePod(pod);
      const namespace = pod.metadata.namespace ?? '';
      const gpus = summary.gpus.total ? `⚡${summary.gpus.total} GPU${summary.gpus.total === 1 ? '' : 's'} · ` : '';
      return {
        pick: { label: pod.metadata.name, description: `${namespace} · ${gpus}${describePodRow(summary, formatAge(pod.metadata.creationTimestamp, now))}`, namespace, name: pod.metadata.name },
        rank: attention.indexOf(summary.health),
      };
    })
    .sort((a, b) => a.rank - b.rank || a.pick.namespace.localeCompare(b.pick.namespace) || a.pick.name.localeCompare(b.pick.name))
    .map((p) => p.pick);
}
