/**
 * RBAC in words and YAML: the minimal Role that grants a set of missing permissions. Pure, so
 * error explanations and the access preflight print exactly the same rules.
 */
import { stringify } from 'yaml';

/** One permission, in SelfSubjectAccessReview terms. */
export interface AccessCheck {
  verb: string;
  group?: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
  verbs: string[];
}

function resourceOf(check: AccessCheck): string {
  return check.subresource ? `${check.resource}/${check.subresource}` : check.resource;
}

/**
 * Rules granting exactly `checks`: verbs are unioned per (apiGroup, resource[, name]); then
 * resources of one apiGroup that need the same verbs share one rule.
 */
export function minimalRules(checks: AccessCheck[]): PolicyRule[] {
  const verbsByTarget = new Map<string, { group: string; resource: string; name?: string; verbs: Set<string> }>();
  for (const check of checks) {
    const group = check.group ?? '';
    const resource = resourceOf(check);
    const key = JSON.stringify([group, resource, check.name ?? null]);
    let entry = verbsByTarget.get(key);
    if (!entry) {
      entry = { group, resource, name: check.name, verbs: new Set() };
      verbsByTarget.set(key, entry);
    }
    entry.verbs.add(check.verb);
  }
  const rules = new Map<string, PolicyRule>();
  for (const entry of verbsByTarget.values()) {
    const verbs = [...entry.verbs].sort();
    const key = JSON.stringify([entry.group, verbs, entry.name ?? null]);
    const existing = rules.get(key);
    if (existing) {
      existing.resources.push(entry.resource);
    } else {
      const rule: PolicyRule = { apiGroups: [entry.group], resources: [entry.resource], verbs };
      if (entry.name) rule.resourceNames = [entry.name];
      rules.set(key, rule);
    }
  }
  const sorted = [...rules.values()];
  for (const rule of sorted) rule.resources.sort();
  sorted.sort((a, b) => a.apiGroups[0].localeCompare(b.apiGroups[0]) || a.resources[0].localeCompare(b.resources[0]));
  return sorted;
}

/** A Role manifest (YAML) granting exactly the `missing` permissions in `namespace`. */
export function minimalRole(missing: AccessCheck[], namespace: string, name = 'tether-developer'): string {
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name, namespace },
    rules: minimalRules(missing),
  };
  return stringify(role);
}

/** "list pods" / "create pods/portforward" — a permission in words. */
export function describeCheck(check: AccessCheck): string {
  const group = check.group ? `.${check.group}` : '';
  const name = check.name ? ` "${check.name}"` : '';
  const where = check.namespace ? ` in namespace "${check.namespace}"` : '';
  return `${check.verb} ${check.resource}${group}${check.subresource ? `/${check.subresource}` : ''}${name}${where}`;
}
