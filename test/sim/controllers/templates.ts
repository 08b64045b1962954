/** Pods and ReplicaSets stamped from templates, with controller owner references. */
import { createHash } from 'node:crypto';
import type { KubeObject, OwnerReference } from '../../../src/kube/types';
import type { Dict } from './pod-status';

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Dict;
}

export function controllerRef(owner: KubeObject): OwnerReference & { blockOwnerDeletion: boolean } {
  return { apiVersion: String(owner.apiVersion), kind: String(owner.kind), name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

export function isControlledBy(object: KubeObject, owner: KubeObject): boolean {
  return (object.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === owner.metadata.uid);
}

/** The pod-template-hash label value: stable for the same template. */
export function templateHash(template: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(template)).digest();
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < 10; i++) out += alphabet[digest[i] % alphabet.length];
  return out;
}

export function podFromTemplate(template: PodTemplate, owner: KubeObject, naming: { name?: string; generateName?: string }, extraLabels: Record<string, string> = {}, extraSpec: Dict = {}): Dict {
  const metadata: Dict = {
    ...naming,
    namespace: owner.metadata.namespace,
    labels: { ...(template.metadata?.labels ?? {}), ...extraLabels },
    ownerReferences: [controllerRef(owner)],
  };
  if (template.metadata?.annotations) metadata.annotations = { ...template.metadata.annotations };
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: { ...structuredClone(template.spec ?? {}), ...extraSpec } };
}

export function isPodReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

export function isActive(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return !pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}
