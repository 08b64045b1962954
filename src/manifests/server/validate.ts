/**
 * The API server's create validation for the built-in kinds: defaulting, then the kind's own
 * checks and its metadata's, as kube-apiserver runs them. Pure: decoded JSON in, field errors out.
 * Used by the editor and tether-lint (through rules/server.ts) and by the test simulator.
 */
import { validateCronJob, validateJob } from './batch';
import { validateConfigMap, validateSecret } from './config';
import { applyDefaults } from './defaults';
import { Report, type FieldError } from './fieldErrors';
import { FieldPath } from './fieldPath';
import { validateObjectMeta, type MetaOptions } from './meta';
import { nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, pathSegmentName, type NameFn } from './names';
import { validateIngress, validateIngressClass, validateNetworkPolicy } from './networking';
import { validateLimitRange, validateNamespace, validatePodDisruptionBudget, validateResourceQuota } from './policy';
import { validateBinding, validateRole } from './rbac';
import { isObj, obj, type Obj } from './read';
import { validateService } from './services';
import { validatePersistentVolumeClaim, validatePersistentVolumeSpec, validateStorageClass } from './storage';
import { validateHorizontalPodAutoscaler } from './autoscaling';
import { featuresFor, type KubeVersion, type ServerFeatures } from './versions';
import { validateDaemonSet, validateDeployment, validatePod, validatePodTemplateObject, validateReplicaSet, validateReplicationController, validateStatefulSet } from './workloads';

export type { FieldError } from './fieldErrors';

interface KindSpec {
  /** Served API versions (group/version) this validation applies to. */
  versions: string[];
  namespaced: boolean;
  name: NameFn;
  /** When the name rule depends on the target version. */
  nameFor?: (f: ServerFeatures) => NameFn;
  /** Whether the kind's validation runs ObjectMeta checks with the kind's name rules. */
  meta?: 'full' | 'generic';
  validate?: (r: Report, o: Obj, f: ServerFeatures, apiVersion: string) => void;
}

const KINDS: Record<string, KindSpec> = {
  Pod: { versions: ['v1'], namespaced: true, name: nameIsDNSSubdomain, validate: (r, o, f) => validatePod(r, o, f) },
  PodTemplate: { versions: ['v1'], namespaced: true, name: nameIsDNSSubdomain, validate: (r, o, f) => validatePodTemplateObject(r, o, f) },
  ReplicationController: { versions: ['v1'], namespaced: true, name: nameIsDNSSubdomain, validate: (r, o, f) => validateReplicationController(r, o, f) },
  Service: { versions: ['v1'], namespaced: true, name: nameIsDNS1035Label, validate: (r, o, f) => validateService(r, o, f) },
  ConfigMap: { versions: ['v1'], namespaced: true, name: nameIsDNSSubdomain, validate: (r, o) => validateConfigMap(r, o) },
  Secret: { versions: ['v1'], namespaced: true, name: nameIsDNSSubdomain, validate: (r, o) => validateSecret(r, o) },
  ServiceAccount: { versions: ['v1'], namespaced: true, name: nameIsDNSSubdomain },
  Namespace: { versions: ['v1'], namespaced: false, name: nameIsDNSLabel, validate: (r, o) => validateNamespace(r, o) },
  PersistentVolumeClaim: { versions: ['v1'], namespaced: true, name: nameIsDNSSubdomain, validate: (r, o) => r.as('server-storage', () => validatePersistentVolumeClaim(r, o)) },
  PersistentVolume: { versions: ['v1'], namespaced: false, name: nameIsDNSSubdomain, validate: (r, o) => r.as('server-storage', () => validatePersistentVolumeSpec(r, obj(o.spec) ?? {}, FieldPath.root('spec'))) },
  ResourceQuota: { versions: ['v1'], namespaced: true, name: nameIsDNSSubdomain, validate: (r, o) => validateResourceQuota(r, o) },
  LimitRange: { versions: ['v1'], namespaced: true, name: nameIsDNSSubdomain, validate: (r, o) => validateLimitRange(r, o) },
  Deployment: { versions: ['apps/v1'], namespaced: true, name: nameIsDNSSubdomain, validate: (r, o, f) => validateDeployment(r, o, f) },
  ReplicaSet: { versions: ['apps/v1'], namespaced: true, name: nameIsDNSSubdomain, validate: (r, o, f) => validateReplicaSet(r, o, f) },
  StatefulSet: { versions: ['apps/v1'], namespaced: true, name: nameIsDNSSubdomain, nameFor: (f) => (f.statefulSetNameIsLabel ? nameIsDNSLabel : nameIsDNSSubdomain), validate: (r, o, f) => validateStatefulSet(r, o, f) },
  DaemonSet: { versions: ['apps/v1'], namespaced: true, name: nameIsDNSSubdomain, validate: (r, o, f) => validateDaemonSet(r, o, f) },
  Job: { versions: ['batch/v1'], namespaced: true, name: nameIsDNSSubdomain, validate: (r, o, f) => validateJob(r, o, f) },
  CronJob: { versions: ['batch/v1'], namespaced: true, name: nameIsDNSSubdomain, validate: (r, o, f) => validateCronJob(r, o, f) },
  HorizontalPodAutoscaler: { versions: ['autoscaling/v1', 'autoscaling/v2'], namespaced: true, name: nameIsDNSSubdomain, validate: (r, o, _f, v) => validateHorizontalPodAutoscaler(r, o, v) },
  Ingress: { versions: ['networking.k8s.io/v1'], namespaced: true, name: nameIsDNSSubdomain, validate: (r, o) => validateIngress(r, o) },
  IngressClass: { versions: ['networking.k8s.io/v1'], namespaced: false, name: nameIsDNSSubdomain, validate: (r, o) => validateIngressClass(r, o) },
  NetworkPolicy: { versions: ['networking.k8s.io/v1'], namespaced: true, name: nameIsDNSSubdomain, validate: (r, o) => validateNetworkPolicy(r, o) },
  PodDisruptionBudget: { versions: ['policy/v1'], namespaced: true, name: pathSegmentName, meta: 'generic', validate: (r, o) => validatePodDisruptionBudget(r, o) },
  Role: { versions: ['rbac.authorization.k8s.io/v1'], namespaced: true, name: pathSegmentName, validate: (r, o) => validateRole(r, o, true) },
  ClusterRole: { versions: ['rbac.authorization.k8s.io/v1'], namespaced: false, name: pathSegmentName, validate: (r, o) => validateRole(r, o, false) },
  RoleBinding: { versions: ['rbac.authorization.k8s.io/v1'], namespaced: true, name: pathSegmentName, validate: (r, o) => validateBinding(r, o, true) },
  ClusterRoleBinding: { versions: ['rbac.authorization.k8s.io/v1'], namespaced: false, name: pathSegmentName, validate: (r, o) => validateBinding(r, o, false) },
  StorageClass: { versions: ['storage.k8s.io/v1'], namespaced: false, name: nameIsDNSSubdomain, validate: (r, o) => r.as('server-storage', () => validateStorageClass(r, o)) },
  PriorityClass: { versions: ['scheduling.k8s.io/v1'], namespaced: false, name: nameIsDNSSubdomain },
};

/** Whether server validation knows this apiVersion and kind. */
export function validatesKind(apiVersion: string, kind: string): boolean {
  return KINDS[kind]?.versions.includes(apiVersion) ?? false;
}

export interface ServerValidationOptions {
  /** The target Kubernetes version (what the server's defaults and feature gates are). */
  version: KubeVersion;
}

/**
 * Validates a decoded object as the API server does on create. The object is defaulted in place,
 * so pass a copy when the caller keeps it. Kinds it does not know give no errors.
 */
export function validateObject(object: unknown, opts: ServerValidationOptions): FieldError[] {
  if (!isObj(object)) return [];
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const spec = KINDS[kind];
  if (!spec || !spec.versions.includes(apiVersion)) return [];
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const features = featuresFor(opts.version);
  applyDefaults(group, kind, object);
  const r = new Report();
  const nameFn = spec.nameFor?.(features) ?? spec.name;
  const metaOpts: MetaOptions = { nameFn, kubeFinalizers: spec.meta !== 'generic' };
  r.as('server-metadata', () => validateObjectMeta(r, obj(object.metadata), metaOpts, FieldPath.root('metadata')));
  spec.validate?.(r, object, features, apiVersion);
  return r.errors;
}

/** Whether a kind is namespaced (for callers that place objects, such as the simulator). */
export function isNamespacedKind(kind: string): boolean | undefined {
  return KINDS[kind]?.namespaced;
}
