/**
 * RBAC in words and YAML: the minimal Role that grants a set of missing permissions, and a
 * permission said in words. Pure; the rules themselves come from permissions/rules.ts.
 */
import { stringify } from 'yaml';
import type { AccessCheck } from './permissions/needs';
import { rulesFor } from './permissions/rules';

export type { AccessCheck, PolicyRule } from './permissions/needs';

/** The fewest rules granting exactly `checks` (permissions/rules.ts). */
export const minimalRules = rulesFor;

/** A Role manifest (YAML) granting exactly the `missing` permissions in `namespace`. */
export function minimalRole(missing: AccessCheck[], namespace: string, name = 'tether-developer'): string {
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name, namespace },
    rules: rulesFor(missing),
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
