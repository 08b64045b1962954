/**
 * Copies of the ConfigMaps and Secrets forked workloads read, for a sandbox in a namespace of its
 * own (references resolve in the pod's namespace, and the baseline's are in another). A copy is a
 * snapshot of the baseline's object when the sandbox is created or updated, labelled as the
 * sandbox's so it goes with it; the baseline's object is only read. Pure: values are copied, never
 * put into notes or errors.
 */
import { ExplainedError } from '../../kube/errors';
import type { KubeObject } from '../../kube/types';
import { podReferences, type ConfigReference } from './configRefs';
import type { DesiredObject } from '../desired';
import type { ObjectNaming } from './fork';
import { roleLabel } from '../labels';
import type { ForkSpec } from '../spec';

/** On copies: "<namespace>/<name>" of the baseline object they were copied from. */
export const copiedFromAnnotation = 'tether.dev/copied-from';

export interface ForkedBaseline {
  fork: ForkSpec;
  baseline: KubeObject;
}

function copyOf(source: KubeObject, naming: ObjectNaming, baselineNamespace: string): DesiredObject {
  const metadata = {
    name: source.metadata.name,
    namespace: naming.namespace,
    labels: { ...naming.labels, [roleLabel]: 'config-copy' },
    annotations: { [copiedFromAnnotation]: `${baselineNamespace}/${source.metadata.name}` },
  };
  const body = source as KubeObject & { data?: Record<string, string>; binaryData?: Record<string, string>; type?: string };
  if (source.kind === 'ConfigMap') {
    const copy: DesiredObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { ...(body.data ?? {}) } };
    if (body.binaryData) copy.binaryData = { ...body.binaryData };
    return copy;
  }
  // A service-account token belongs to an account of the baseline namespace; in the sandbox it is plain data.
  const type = body.type === 'kubernetes.io/service-account-token' ? 'Opaque' : (body.type ?? 'Opaque');
  return { apiVersion: 'v1', kind: 'Secret', metadata, type, data: { ...(body.data ?? {}) } };
}

function missing(ref: ConfigReference, workloads: string[], baselineNamespace: string): ExplainedError {
  return new ExplainedError({
    reason: 'NotFound',
    what: 'Plan the sandbox',
    why: `${workloads.join(' and ')} ${workloads.length > 1 ? 'need' : 'needs'} ${ref.kind} "${ref.name}", which namespace "${baselineNamespace}" does not have, so the fork's pods could not start`,
    remedy: `Create ${ref.kind} "${ref.name}" in "${baselineNamespace}", or mark the reference optional in the workload`,
  });
}

/**
 * One copy per object any fork references, from `available` (the ConfigMaps and Secrets read from
 * the baseline namespace). Missing optional references are skipped; a missing required one throws,
 * naming the object and the workloads that need it.
 */
export function configCopies(forked: readonly ForkedBaseline[], available: readonly KubeObject[], naming: ObjectNaming, baselineNamespace: string): DesiredObject[] {
  const wanted = new Map<string, { ref: ConfigReference; workloads: string[] }>();
  for (const { fork, baseline } of forked) {
    for (const ref of podReferences(baseline).config) {
      const key = `${ref.kind}/${ref.name}`;
      const seen = wanted.get(key);
      const workload = `${fork.workload.kind} "${fork.workload.name}"`;
      wanted.set(key, seen ? { ref: { ...ref, optional: seen.ref.optional && ref.optional }, workloads: [...seen.workloads, workload] } : { ref, workloads: [workload] });
    }
  }
  const copies: DesiredObject[] = [];
  for (const { ref, workloads } of wanted.values()) {
    const source = available.find((o) => o.kind === ref.kind && o.metadata.name === ref.name);
    if (source) copies.push(copyOf(source, naming, baselineNamespace));
    else if (!ref.optional) throw missing(ref, workloads, baselineNamespace);
  }
  return copies;
}

/** What forks read that stays behind: service accounts always, ConfigMaps and Secrets when nothing copies them. */
export function referenceNotes(forked: readonly ForkedBaseline[], copied: boolean, namespace: string, baselineNamespace: string): string[] {
  if (namespace === baselineNamespace) return [];
  return forked.flatMap(({ fork, baseline }) => {
    const refs = podReferences(baseline);
    const named = [...(copied ? [] : refs.config.map((r) => `${r.kind} "${r.name}"`)), ...(refs.serviceAccount ? [`ServiceAccount "${refs.serviceAccount}"`] : [])];
    if (named.length === 0) return [];
    const how = copied ? 'create it there (Tether copies ConfigMaps and Secrets, not service accounts and their permissions)' : 'copy them there (Tether copies them only into a namespace of its own)';
    return [`The fork of "${fork.workload.name}" reads ${named.join(', ')}, which ${named.length > 1 ? 'stay' : 'stays'} in "${baselineNamespace}"; ${how} or its pods will not start in "${namespace}".`];
  });
}
