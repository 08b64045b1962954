/**
 * The slim projection the watch caches keep: everything but `metadata.managedFields` and the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation, which together are often more
 * than half of an object's size and are never shown.
 */
import type { KubeObject } from './types';

export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

export function slim<T extends KubeObject = KubeObject>(raw: KubeObject): T {
  const meta = raw.metadata as KubeObject['metadata'] & { managedFields?: unknown };
  if (!meta) return raw as T;
  const annotations = meta.annotations;
  const hasLastApplied = annotations !== undefined && annotations[lastAppliedAnnotation] !== undefined;
  if (meta.managedFields === undefined && !hasLastApplied) return raw as T;
  const { managedFields: _managed, ...rest } = meta;
  if (hasLastApplied) {
    const { [lastAppliedAnnotation]: _applied, ...others } = annotations;
    rest.annotations = others;
  }
  raw.metadata = rest;
  return raw as T;
}

/**
 * What a metadata-only cache keeps of an object: its identity and nothing else, so names of
 * Secrets can be listed without any of their data (or annotations that may quote it) being kept.
 */
export function nameOnly<T extends KubeObject = KubeObject>(raw: KubeObject): T {
  const m = raw.metadata ?? ({} as KubeObject['metadata']);
  const metadata: KubeObject['metadata'] = { name: m.name, uid: m.uid, resourceVersion: m.resourceVersion };
  if (m.namespace) metadata.namespace = m.namespace;
  if (m.creationTimestamp) metadata.creationTimestamp = m.creationTimestamp;
  return { metadata } as T;
}
