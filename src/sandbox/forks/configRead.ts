/**
 * Reading, by name, the ConfigMaps and Secrets that forks reference in the baseline namespace, so
 * the plan can copy them into a sandbox of its own namespace. Only `get` on the referenced names:
 * Tether never lists the baseline's Secrets. What is missing is left out (the planner decides
 * whether the fork can do without it). Values stay in memory; nothing here logs them.
 */
import type { KubeClient } from '../../kube/api';
import { ExplainedError } from '../../kube/errors';
import { kinds } from '../../kube/kinds';
import type { KubeObject } from '../../kube/types';
import { podReferences, type ConfigReference } from './configRefs';
import type { SandboxSpec } from '../spec';

/** The references of the forks that run a copy of their workload (`local` forks run the relay instead). */
export function copiedReferences(spec: SandboxSpec, baseline: readonly KubeObject[]): ConfigReference[] {
  const refs = new Map<string, ConfigReference>();
  for (const fork of spec.forks) {
    if (fork.mode === 'local') continue;
    const workload = baseline.find((o) => o.kind === fork.workload.kind && o.metadata.name === fork.workload.name);
    for (const ref of workload ? podReferences(workload).config : []) refs.set(`${ref.kind}/${ref.name}`, ref);
  }
  return [...refs.values()];
}

export async function readReferencedConfig(client: KubeClient, spec: SandboxSpec, baseline: readonly KubeObject[], signal?: AbortSignal): Promise<KubeObject[]> {
  const read = await Promise.all(
    copiedReferences(spec, baseline).map(async (ref) => {
      try {
        const object = await client.get<KubeObject>(kinds[ref.kind], spec.baseline.namespace, ref.name, signal);
        return [{ ...object, kind: ref.kind }];
      } catch (err) {
        if (err instanceof ExplainedError && err.reason === 'NotFound') return [];
        throw err;
      }
    }),
  );
  return read.flat();
}
