/**
 * What a refusal offers: the Roles that grant what was missing, named for the feature and the
 * namespace they serve (`tether-sandbox-dev`, `tether-explorer-dev`; a ClusterRole
 * `tether-gpus-cluster` only for what lives outside namespaces or lists across them), so applying
 * one never replaces the Role of another feature or namespace. Each also keeps what the user already
 * holds of that feature there, so re-applying a same-named Role never takes anything away. Pure.
 */
import type { NextStep } from '../nextStep';
import { describeCheck, type AccessCheck, type PolicyRule } from '../role';
import { features } from './features';
import { checkKey, checksOf, plainCheck, uniqueChecks, type Condition, type FeatureId } from './needs';
import { isClusterScoped } from './profiles';
import { rbacYaml, subjectOf, withBindings, type RoleObject } from './rbacYaml';
import { rulesCover, rulesFor } from './rules';

/** A refusal with its remedy, as errors carry it to whoever shows them. */
export interface AccessAdvice {
  feature: FeatureId;
  /** What was refused, each said with what it is for when known. */
  missing: AccessCheck[];
  /** The Roles (and ClusterRoles) granting it. */
  roles: RoleObject[];
  /** Who was refused, as the API server names them (e.g. "system:serviceaccount:dev:ci"). */
  user?: string;
  /** The Roles already keep what the user holds of the feature (the cluster was asked). */
  merged?: boolean;
}

/** Where a check is granted: a Role in its namespace, or a ClusterRole. */
function placeOf(check: AccessCheck): { namespace?: string; name?: string } {
  if (isClusterScoped(check)) return check.name ? { name: check.name } : {};
  return check.namespace ? { namespace: check.namespace } : {};
}

/** The checks of `candidates` that `rules` (what a SelfSubjectRulesReview returned) grant. */
export function heldOf(candidates: readonly AccessCheck[], rules: readonly PolicyRule[]): AccessCheck[] {
  return candidates.filter((c) => rulesCover(rules, c));
}

/**
 * The Roles granting `missing` for `feature`, each merged with the checks of `held` (what the
 * user may already do for that feature) that fall in a Role being suggested.
 */
export function remedyRoles(feature: FeatureId, missing: readonly AccessCheck[], held: readonly AccessCheck[] = []): RoleObject[] {
  const groups = new Map<string, { namespace?: string; name?: string; checks: AccessCheck[] }>();
  const keyOf = (p: { namespace?: string; name?: string }) => JSON.stringify([p.namespace ?? null, p.name ?? null]);
  for (const check of missing) {
    const place = placeOf(check);
    const key = keyOf(place);
    if (!groups.has(key)) groups.set(key, { ...place, checks: [] });
    groups.get(key)?.checks.push(plainCheck(check));
  }
  for (const check of held) groups.get(keyOf(placeOf(check)))?.checks.push(plainCheck(check));
  const out: RoleObject[] = [];
  const ordered = [...groups.values()].sort((a, b) => Number(!a.namespace) - Number(!b.namespace) || (a.namespace ?? a.name ?? '').localeCompare(b.namespace ?? b.name ?? ''));
  for (const g of ordered) {
    const rules = rulesFor(uniqueChecks(g.checks));
    if (g.namespace) out.push({ kind: 'Role', name: `tether-${feature}-${g.namespace}`, namespace: g.namespace, rules });
    else out.push({ kind: 'ClusterRole', name: `tether-${feature}-${g.name ?? 'cluster'}`, rules });
  }
  return out;
}

/** The advice for `missing` (`held`: what the user holds of the feature, see heldOf). */
export function accessAdvice(feature: FeatureId, missing: readonly AccessCheck[], held: readonly AccessCheck[] = [], user?: string): AccessAdvice {
  const refused = new Set(missing.map(checkKey));
  const advice: AccessAdvice = { feature, missing: [...missing], roles: remedyRoles(feature, missing, held.filter((h) => !refused.has(checkKey(h)))) };
  if (user) advice.user = user;
  return advice;
}

/** The Roles as YAML; with `subject` (a username), each with its binding to them. */
export function adviceYaml(advice: Pick<AccessAdvice, 'roles'>, subject?: string): string {
  return rbacYaml(subject ? withBindings(advice.roles, subjectOf(subject)) : advice.roles);
}

/** "list replicasets.apps in namespace "dev" (to group pods under their Deployments)". */
export function describeNeed(check: AccessCheck & { why?: string }): string {
  return check.why ? `${describeCheck(check)} (${check.why})` : describeCheck(check);
}

/** The names of the suggested Roles, for a sentence: `Role "tether-sandbox-dev"`. */
export function roleNames(advice: Pick<AccessAdvice, 'roles'>): string {
  return advice.roles.map((r) => `${r.kind} "${r.name}"`).join(' and ');
}

/** The next step of a refusal carrying `advice`: each front door shows the Roles' YAML its own way. */
export function grantStep(advice: Pick<AccessAdvice, 'roles'>): NextStep {
  return { code: 'grantRoles', roles: advice.roles.map((r) => `${r.kind} "${r.name}"`) };
}

/** Features in the order a refusal found outside any preflight is attributed to them. */
const attribution: readonly FeatureId[] = ['explorer', 'tunnel', 'sandbox', 'preview', 'checks', 'delete', 'share', 'sandboxes', 'gpus', 'completion'];
const everyCondition: readonly Condition[] = ['ownNamespace', 'sharedNamespace', 'ingress', 'gateway', 'statefulSet', 'daemonSet'];

/** The feature that declares `check` (names and namespaces aside), for naming its Role; the Cluster view's when none does. */
export function featureFor(check: AccessCheck): FeatureId {
  const same = (c: AccessCheck) => c.verb === check.verb && (c.group ?? '') === (check.group ?? '') && c.resource === check.resource && (c.subresource ?? '') === (check.subresource ?? '');
  return attribution.find((id) => checksOf(features[id].needs, { namespace: '', conditions: everyCondition }).some(same)) ?? 'explorer';
}
