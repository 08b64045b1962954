import type { Finding } from '../types';
import type { Resource } from '../resource';
import { get } from '../tree';
import { versionAtLeast, type ResourceRule, type RuleContext } from './rule';

interface Retirement {
  kinds: string[];
  apiVersion: string;
  deprecated: [number, number];
  removed: [number, number];
  /** Replacement apiVersion; undefined when the kind is gone altogether. */
  replacement?: string;
  note?: string;
}

/** From the Kubernetes deprecated API migration guide. */
export const RETIREMENTS: readonly Retirement[] = [
  { kinds: ['Deployment', 'DaemonSet', 'ReplicaSet'], apiVersion: 'extensions/v1beta1', deprecated: [1, 9], removed: [1, 16], replacement: 'apps/v1' },
  { kinds: ['NetworkPolicy'], apiVersion: 'extensions/v1beta1', deprecated: [1, 9], removed: [1, 16], replacement: 'networking.k8s.io/v1' },
  { kinds: ['Ingress'], apiVersion: 'extensions/v1beta1', deprecated: [1, 14], removed: [1, 22], replacement: 'networking.k8s.io/v1', note: 'backend becomes service.name/service.port and pathType is required' },
  { kinds: ['PodSecurityPolicy'], apiVersion: 'extensions/v1beta1', deprecated: [1, 11], removed: [1, 16], note: 'use Pod Security Admission (namespace labels pod-security.kubernetes.io/*)' },
  { kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'], apiVersion: 'apps/v1beta1', deprecated: [1, 9], removed: [1, 16], replacement: 'apps/v1' },
  { kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'], apiVersion: 'apps/v1beta2', deprecated: [1, 9], removed: [1, 16], replacement: 'apps/v1' },
  { kinds: ['Ingress', 'IngressClass'], apiVersion: 'networking.k8s.io/v1beta1', deprecated: [1, 19], removed: [1, 22], replacement: 'networking.k8s.io/v1', note: 'backend becomes service.name/service.port and pathType is required' },
  { kinds: ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'], apiVersion: 'rbac.authorization.k8s.io/v1beta1', deprecated: [1, 17], removed: [1, 22], replacement: 'rbac.authorization.k8s.io/v1' },
  { kinds: ['CustomResourceDefinition'], apiVersion: 'apiextensions.k8s.io/v1beta1', deprecated: [1, 16], removed: [1, 22], replacement: 'apiextensions.k8s.io/v1' },
  { kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], apiVersion: 'admissionregistration.k8s.io/v1beta1', deprecated: [1, 16], removed: [1, 22], replacement: 'admissionregistration.k8s.io/v1' },
  { kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], apiVersion: 'storage.k8s.io/v1beta1', deprecated: [1, 19], removed: [1, 22], replacement: 'storage.k8s.io/v1' },
  { kinds: ['CSIStorageCapacity'], apiVersion: 'storage.k8s.io/v1beta1', deprecated: [1, 24], removed: [1, 27], replacement: 'storage.k8s.io/v1' },
  { kinds: ['PriorityClass'], apiVersion: 'scheduling.k8s.io/v1beta1', deprecated: [1, 14], removed: [1, 22], replacement: 'scheduling.k8s.io/v1' },
  { kinds: ['Lease'], apiVersion: 'coordination.k8s.io/v1beta1', deprecated: [1, 14], removed: [1, 22], replacement: 'coordination.k8s.io/v1' },
  { kinds: ['CertificateSigningRequest'], apiVersion: 'certificates.k8s.io/v1beta1', deprecated: [1, 19], removed: [1, 22], replacement: 'certificates.k8s.io/v1' },
  { kinds: ['CronJob'], apiVersion: 'batch/v1beta1', deprecated: [1, 21], removed: [1, 25], replacement: 'batch/v1' },
  { kinds: ['PodDisruptionBudget'], apiVersion: 'policy/v1beta1', deprecated: [1, 21], removed: [1, 25], replacement: 'policy/v1' },
  { kinds: ['PodSecurityPolicy'], apiVersion: 'policy/v1beta1', deprecated: [1, 21], removed: [1, 25], note: 'use Pod Security Admission (namespace labels pod-security.kubernetes.io/*)' },
  { kinds: ['HorizontalPodAutoscaler'], apiVersion: 'autoscaling/v2beta1', deprecated: [1, 22], removed: [1, 25], replacement: 'autoscaling/v2' },
  { kinds: ['HorizontalPodAutoscaler'], apiVersion: 'autoscaling/v2beta2', deprecated: [1, 23], removed: [1, 26], replacement: 'autoscaling/v2' },
  { kinds: ['EndpointSlice'], apiVersion: 'discovery.k8s.io/v1beta1', deprecated: [1, 21], removed: [1, 25], replacement: 'discovery.k8s.io/v1' },
  { kinds: ['Event'], apiVersion: 'events.k8s.io/v1beta1', deprecated: [1, 22], removed: [1, 25], replacement: 'events.k8s.io/v1' },
  { kinds: ['RuntimeClass'], apiVersion: 'node.k8s.io/v1beta1', deprecated: [1, 22], removed: [1, 25], replacement: 'node.k8s.io/v1' },
  { kinds: ['FlowSchema', 'PriorityLevelConfiguration'], apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', deprecated: [1, 23], removed: [1, 26], replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { kinds: ['FlowSchema', 'PriorityLevelConfiguration'], apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', deprecated: [1, 26], removed: [1, 29], replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { kinds: ['FlowSchema', 'PriorityLevelConfiguration'], apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', deprecated: [1, 29], removed: [1, 32], replacement: 'flowcontrol.apiserver.k8s.io/v1' },
];

const BY_KEY = new Map<string, Retirement>();
for (const r of RETIREMENTS) for (const k of r.kinds) BY_KEY.set(`${r.apiVersion}/${k}`, r);

export function retirementOf(apiVersion: string, kind: string): Retirement | undefined {
  return BY_KEY.get(`${apiVersion}/${kind}`);
}

const fmt = (v: [number, number]): string => `${v[0]}.${v[1]}`;

export const apiVersionRules: ResourceRule = {
  meta: [
    { id: 'api-version-removed', family: 'api-versions', severity: 'error', doc: 'The apiVersion is no longer served by the target Kubernetes version; the replacement is named.' },
    { id: 'api-version-deprecated', family: 'api-versions', severity: 'warning', doc: 'The apiVersion is deprecated in the target Kubernetes version and will be removed.' },
  ],
  check(r: Resource, ctx: RuleContext, out: Finding[]): void {
    const retirement = retirementOf(r.apiVersion, r.kind);
    if (!retirement || !versionAtLeast(ctx.version, retirement.deprecated)) return;
    const node = get(r.root, 'apiVersion');
    if (!node || node.kind !== 'scalar') return;
    const removed = versionAtLeast(ctx.version, retirement.removed);
    const replacement = retirement.replacement ? `use ${retirement.replacement}` : 'there is no replacement API';
    const note = retirement.note ? ` (${retirement.note})` : '';
    out.push({
      ruleId: removed ? 'api-version-removed' : 'api-version-deprecated',
      message: removed
        ? `${retirement.apiVersion} ${r.kind} was removed in Kubernetes ${fmt(retirement.removed)} (target ${fmt(ctx.version)}); ${replacement}${note}`
        : `${retirement.apiVersion} ${r.kind} is deprecated since ${fmt(retirement.deprecated)} and removed in ${fmt(retirement.removed)}; ${replacement}${note}`,
      start: node.start,
      end: node.end,
      fixes: retirement.replacement ? [{ title: `Change apiVersion to ${retirement.replacement}`, edits: [{ start: node.start, end: node.end, newText: node.quoted ? JSON.stringify(retirement.replacement) : retirement.replacement }] }] : undefined,
    });
  },
};
