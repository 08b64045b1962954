/**
 * Create/update validation the way the API server reports it: 422 Invalid with `details.causes`.
 * Covers names, the pod essentials and the workload selector rules clients trip over.
 */
import type { KubeObject } from '../../src/kube/types';
import type { ResourceInfo } from './resources';
import { fromSelectorObject, matchesLabels } from './selectors';
import { invalid, type StatusCause } from './status';

type Cause = Required<StatusCause>;

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelNameKinds = new Set(['Namespace', 'Service']);

function goMap(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {}).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  return `map[string]string{${entries.join(', ')}}`;
}

function nameCauses(info: ResourceInfo, name: string): Cause[] {
  if (['Event', 'Lease', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].includes(info.kind)) return [];
  const label = labelNameKinds.has(info.kind);
  const ok = label ? dns1123Label.test(name) && name.length <= 63 : dns1123Subdomain.test(name) && name.length <= 253;
  if (ok) return [];
  const what = label
    ? `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`
    : `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
  return [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(name)}: ${what}`, field: 'metadata.name' }];
}

interface Container {
  name?: string;
  image?: string;
}

function podSpecCauses(spec: { containers?: Container[] } | undefined, prefix: string): Cause[] {
  const containers = spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    return [{ reason: 'FieldValueRequired', message: 'Required value', field: `${prefix}.containers` }];
  }
  const causes: Cause[] = [];
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    if (!c.name) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `${prefix}.containers[${i}].name` });
    else if (seen.has(c.name)) causes.push({ reason: 'FieldValueDuplicate', message: `Duplicate value: ${JSON.stringify(c.name)}`, field: `${prefix}.containers[${i}].name` });
    if (c.name) seen.add(c.name);
    if (!c.image) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `${prefix}.containers[${i}].image` });
  });
  return causes;
}

interface WorkloadSpec {
  selector?: { matchLabels?: Record<string, string> };
  template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: Container[] } };
}

function workloadCauses(spec: WorkloadSpec | undefined, selectorRequired: boolean): Cause[] {
  const causes: Cause[] = [];
  const labels = spec?.template?.metadata?.labels;
  if (!spec?.selector) {
    if (selectorRequired) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' });
  } else {
    const selector = fromSelectorObject(spec.selector);
    if (selector.length === 0) {
      causes.push({ reason: 'FieldValueInvalid', message: 'Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment', field: 'spec.selector' });
    } else if (!matchesLabels(selector, labels)) {
      causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\``, field: 'spec.template.metadata.labels' });
    }
  }
  return [...causes, ...podSpecCauses(spec?.template?.spec, 'spec.template.spec')];
}

export function validate(info: ResourceInfo, object: KubeObject): void {
  const name = object.metadata.name;
  const causes = [...nameCauses(info, name)];
  switch (info.kind) {
    case 'Pod':
      causes.push(...podSpecCauses(object.spec as { containers?: Container[] } | undefined, 'spec'));
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      causes.push(...workloadCauses(object.spec as WorkloadSpec | undefined, true));
      break;
    case 'Job':
      causes.push(...workloadCauses(object.spec as WorkloadSpec | undefined, false));
      break;
    case 'StorageClass':
      if (!(object as { provisioner?: string }).provisioner) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'provisioner' });
      break;
    case 'RuntimeClass':
      if (!(object as { handler?: string }).handler) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'handler' });
      break;
    case 'CronJob': {
      const spec = object.spec as { schedule?: string; jobTemplate?: { spec?: WorkloadSpec } } | undefined;
      if (!spec?.schedule) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.schedule' });
      break;
    }
  }
  if (causes.length > 0) throw invalid(info, name, causes);
}
