/**
 * `fieldValidation`: unknown top-level and metadata fields are pruned (Ignore), pruned with a
 * `Warning: 299` header (Warn, the default), or rejected with 400 (Strict), like the API server.
 */
import type { KubeObject } from '../../src/kube/types';
import type { ResourceInfo } from './resources';
import { ApiError, failure } from './status';

const common = ['apiVersion', 'kind', 'metadata'];
const byKind: Record<string, string[]> = {
  ConfigMap: ['data', 'binaryData', 'immutable'],
  Secret: ['data', 'stringData', 'type', 'immutable'],
  Event: [
    'involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'type', 'eventTime',
    'series', 'action', 'related', 'reportingComponent', 'reportingInstance',
  ],
  Endpoints: ['subsets'],
  ServiceAccount: ['secrets', 'imagePullSecrets', 'automountServiceAccountToken'],
  Role: ['rules'],
  RoleBinding: ['subjects', 'roleRef'],
  IngressClass: ['spec'],
  StorageClass: ['provisioner', 'parameters', 'reclaimPolicy', 'mountOptions', 'allowVolumeExpansion', 'volumeBindingMode', 'allowedTopologies'],
  PriorityClass: ['value', 'globalDefault', 'description', 'preemptionPolicy'],
  RuntimeClass: ['handler', 'overhead', 'scheduling'],
  ClusterRole: ['rules', 'aggregationRule'],
  ClusterRoleBinding: ['subjects', 'roleRef'],
};
const metadataFields = new Set([
  'name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
  'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields', 'selfLink',
]);

export function pruneUnknownFields(info: ResourceInfo, object: KubeObject, mode: 'Strict' | 'Warn' | 'Ignore', warnings?: string[]): void {
  const known = new Set([...common, ...(byKind[info.kind] ?? ['spec', 'status'])]);
  const unknown: string[] = [];
  for (const key of Object.keys(object)) {
    if (!known.has(key)) {
      unknown.push(key);
      delete object[key];
    }
  }
  for (const key of Object.keys(object.metadata)) {
    if (!metadataFields.has(key)) {
      unknown.push(`metadata.${key}`);
      delete (object.metadata as unknown as Record<string, unknown>)[key];
    }
  }
  if (unknown.length === 0 || mode === 'Ignore') return;
  const texts = unknown.map((f) => `unknown field "${f}"`);
  if (mode === 'Strict') {
    throw new ApiError(failure(400, 'BadRequest', `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: strict decoding error: ${texts.join(', ')}`));
  }
  warnings?.push(...texts);
}
