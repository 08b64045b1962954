/**
 * The Roles the README documents, generated from the features' declared needs (a unit test holds
 * the README's YAML blocks to these): a developer in a shared namespace, a developer who may also
 * create namespaces (sandboxes then get their own), and a CI ServiceAccount that brings sandboxes
 * up and down and runs their checks. Pure.
 */
import { kinds } from '../kinds';
import { features } from './features';
import { checksOf, plainCheck, type AccessCheck, type Condition, type FeatureId, type NeededCheck, type PolicyRule } from './needs';
import { rbacYaml, type RbacObject } from './rbacYaml';
import { rulesCover, rulesFor } from './rules';

export type ProfileId = 'developer-shared' | 'developer-namespaces' | 'ci';

interface Profile {
  features: readonly FeatureId[];
  conditions: readonly Condition[];
  /** `namespace`: where a namespaced profile is bound (a placeholder in the README). */
  objects(rules: readonly PolicyRule[], notes: ReadonlyMap<PolicyRule, string>, namespace?: string): RbacObject[];
}

const developerFeatures: readonly FeatureId[] = ['explorer', 'gpus', 'completion', 'tunnel', 'sandbox', 'preview', 'share', 'checks', 'delete', 'sandboxes', 'agent'];
const placeholderNamespace = '<your-namespace>';

const profiles: Readonly<Record<ProfileId, Profile>> = {
  'developer-shared': {
    features: developerFeatures,
    conditions: ['sharedNamespace', 'ingress', 'gateway', 'statefulSet', 'daemonSet'],
    objects: (rules, notes) => [{ kind: 'Role', name: 'tether-developer', namespace: placeholderNamespace, rules, notes }],
  },
  'developer-namespaces': {
    features: developerFeatures,
    conditions: ['ownNamespace', 'ingress', 'gateway', 'statefulSet', 'daemonSet'],
    objects: (rules, notes) => [
      { kind: 'ClusterRole', name: 'tether-developer', rules, notes },
      { kind: 'ClusterRoleBinding', name: 'tether-developer', role: { kind: 'ClusterRole', name: 'tether-developer' }, subjects: [{ kind: 'User', name: '<your-user>' }] },
    ],
  },
  ci: {
    // `tether sandbox up --share` in the pull-request workflows (docs/ci/) makes an Ingress.
    features: ['sandbox', 'preview', 'share', 'checks', 'delete', 'sandboxes', 'agent'],
    conditions: ['sharedNamespace', 'ingress'],
    objects: (rules, notes, namespace = '<ci-namespace>') => [
      { kind: 'ServiceAccount', name: 'tether-ci', namespace },
      // A long-lived token for the pipeline's kubeconfig (docs/pull-request-previews.md).
      { kind: 'ServiceAccountToken', name: 'tether-ci-token', namespace, serviceAccount: 'tether-ci' },
      { kind: 'Role', name: 'tether-ci', namespace, rules, notes },
      { kind: 'RoleBinding', name: 'tether-ci', namespace, role: { kind: 'Role', name: 'tether-ci' }, subjects: [{ kind: 'ServiceAccount', name: 'tether-ci', namespace }] },
    ],
  },
};

/**
 * Every check the profile's features make, in `namespace`. A profile bound in one namespace keeps
 * the checks that are in it; one bound cluster-wide keeps all of them, unnamed.
 */
export function profileChecks(id: ProfileId, namespace = placeholderNamespace): NeededCheck[] {
  const profile = profiles[id];
  const all = profile.features.flatMap((f) => checksOf(features[f].needs, { namespace, conditions: profile.conditions }));
  if (id === 'developer-namespaces') return all.map((c) => ({ ...c, namespace: undefined, name: undefined }));
  // A Role in one namespace grants nothing cluster-wide: what needs that falls back.
  return all.filter((c) => c.namespace === namespace && !isClusterScoped(c));
}

/** True for kinds that live outside namespaces (Namespace, Node, the classes). */
export function isClusterScoped(check: Pick<AccessCheck, 'group' | 'resource'>): boolean {
  return Object.values(kinds).some((k) => !k.namespaced && k.plural === check.resource && k.group === (check.group ?? ''));
}

/** The rules of a profile, with the notes its needs put beside them. */
export function profileRules(id: ProfileId, namespace?: string): { rules: PolicyRule[]; notes: Map<PolicyRule, string> } {
  const checks = profileChecks(id, namespace);
  const rules = rulesFor(checks.map(plainCheck));
  const notes = new Map<PolicyRule, string>();
  for (const rule of rules) {
    const said = [...new Set(checks.filter((c) => c.note && rulesCover([rule], { ...plainCheck(c), name: undefined })).map((c) => c.note as string))];
    if (said.length) notes.set(rule, said.join('; '));
  }
  return { rules, notes };
}

/** The profile's objects, as the README shows them (`namespace`: bound there instead of a placeholder). */
export function profileObjects(id: ProfileId, namespace?: string): RbacObject[] {
  const { rules, notes } = profileRules(id);
  return profiles[id].objects(rules, notes, namespace);
}

export function profileYaml(id: ProfileId, namespace?: string): string {
  return rbacYaml(profileObjects(id, namespace));
}

export const profileIds = Object.keys(profiles) as ProfileId[];
