/**
 * RBAC rules as sets of permissions: whether rules a user holds cover a check (wildcards and
 * resourceNames as the RBAC authorizer reads them), and the fewest rules that grant a set of
 * checks, written the way the generated Roles are. Pure.
 */
import { verbOrder, type AccessCheck, type PolicyRule } from './needs';

function resourceOf(check: AccessCheck): string {
  return check.subresource ? `${check.resource}/${check.subresource}` : check.resource;
}

function matchesResource(ruleResource: string, resource: string): boolean {
  if (ruleResource === '*' || ruleResource === resource) return true;
  // "*/scale" grants every resource's scale subresource; "pods/*" is not a wildcard in RBAC.
  const slash = resource.indexOf('/');
  return slash > 0 && ruleResource === `*${resource.slice(slash)}`;
}

/** The RBAC authorizer's reading: one rule grants the check. */
export function ruleCovers(rule: PolicyRule, check: AccessCheck): boolean {
  if (!rule.verbs.includes('*') && !rule.verbs.includes(check.verb)) return false;
  const group = check.group ?? '';
  if (!rule.apiGroups.includes('*') && !rule.apiGroups.includes(group)) return false;
  const resource = resourceOf(check);
  if (!rule.resources.some((r) => matchesResource(r, resource))) return false;
  if (rule.resourceNames?.length) return check.name !== undefined && rule.resourceNames.includes(check.name);
  return true;
}

export function rulesCover(rules: readonly PolicyRule[], check: AccessCheck): boolean {
  return rules.some((r) => ruleCovers(r, check));
}

const byVerb = (a: string, b: string): number => {
  const i = verbOrder.indexOf(a);
  const j = verbOrder.indexOf(b);
  return (i < 0 ? verbOrder.length : i) - (j < 0 ? verbOrder.length : j) || a.localeCompare(b);
};

/** Groups in the order Roles list them: the core group first, then by name. */
const byGroup = (a: string, b: string): number => (a === b ? 0 : a === '' ? -1 : b === '' ? 1 : a.localeCompare(b));

/**
 * The fewest rules granting exactly `checks` (namespaces aside): verbs are unioned per resource
 * (and name), then resources of one group with the same verbs share a rule. Verbs are written in
 * RBAC's usual order (get, list, watch, create, …), groups core first.
 */
export function rulesFor(checks: Iterable<AccessCheck>): PolicyRule[] {
  const targets = new Map<string, { group: string; resource: string; name?: string; verbs: Set<string> }>();
  for (const check of checks) {
    const group = check.group ?? '';
    const resource = resourceOf(check);
    const key = JSON.stringify([group, resource, check.name ?? null]);
    let entry = targets.get(key);
    if (!entry) targets.set(key, (entry = { group, resource, ...(check.name ? { name: check.name } : {}), verbs: new Set() }));
    entry.verbs.add(check.verb);
  }
  const rules = new Map<string, PolicyRule & { names: string[] }>();
  for (const entry of targets.values()) {
    const verbs = [...entry.verbs].sort(byVerb);
    // Named grants of one resource share a rule too: the same verbs on several names.
    const key = JSON.stringify([entry.group, verbs, entry.name === undefined ? null : entry.resource]);
    const existing = rules.get(key);
    if (existing) {
      if (!existing.resources.includes(entry.resource)) existing.resources.push(entry.resource);
      if (entry.name) existing.names.push(entry.name);
    } else {
      rules.set(key, { apiGroups: [entry.group], resources: [entry.resource], verbs, names: entry.name ? [entry.name] : [] });
    }
  }
  const out: PolicyRule[] = [...rules.values()].map(({ names, ...rule }) => {
    rule.resources.sort();
    return names.length ? { ...rule, resourceNames: [...names].sort() } : rule;
  });
  out.sort((a, b) => byGroup(a.apiGroups[0], b.apiGroups[0]) || Number(Boolean(a.resourceNames)) - Number(Boolean(b.resourceNames)) || a.resources[0].localeCompare(b.resources[0]) || byVerb(a.verbs[0], b.verbs[0]));
  return out;
}

/** Every check a rule grants in `namespace`: one per verb, resource and name (wildcards kept as written). */
export function checksOfRule(rule: PolicyRule, namespace?: string): AccessCheck[] {
  const out: AccessCheck[] = [];
  for (const group of rule.apiGroups) {
    for (const written of rule.resources) {
      const [resource, subresource] = written.split('/', 2);
      for (const verb of rule.verbs) {
        for (const name of rule.resourceNames?.length ? rule.resourceNames : [undefined]) {
          const check: AccessCheck = { verb, resource };
          if (group) check.group = group;
          if (subresource) check.subresource = subresource;
          if (namespace) check.namespace = namespace;
          if (name) check.name = name;
          out.push(check);
        }
      }
    }
  }
  return out;
}
