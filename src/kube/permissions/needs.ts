/**
 * The vocabulary features use to declare the access they need (features.ts), and the one way a
 * declaration becomes concrete permissions: access checks in a namespace, as the preflight asks the
 * API server (SelfSubjectAccessReview) and as the Roles Tether suggests and documents grant them.
 * Pure.
 */
import { kinds, type KindName } from '../kinds';

/** One permission, in SelfSubjectAccessReview terms. */
export interface AccessCheck {
  verb: string;
  group?: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** One rule of a Role or ClusterRole. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
  verbs: string[];
}

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'escalate' | 'bind';

/** The order verbs are written in Roles: reads, then writes. */
export const verbOrder: readonly string[] = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate', '*'];

/**
 * When a feature needs a permission beyond always: a sandbox in a namespace of its own or in a
 * shared one, a shareable preview host through an Ingress or a Gateway API HTTPRoute, a tunnel to
 * a StatefulSet or a DaemonSet (rather than a Deployment).
 */
export type Condition = 'ownNamespace' | 'sharedNamespace' | 'ingress' | 'gateway' | 'statefulSet' | 'daemonSet';

/**
 * Where a namespaced permission is needed: where the feature works (default), the sandbox's
 * baseline namespace, or across every namespace (a list only a ClusterRole grants).
 */
export type Place = 'namespace' | 'baseline' | 'allNamespaces';

/**
 * A Role restricts some rules by name (`resourceNames`): the sandbox's Lease, the objects the plan
 * holds, or the namespace the feature works in (for the Namespace object itself).
 */
export type NameScope = 'lease' | 'planned' | 'own';

export interface Need {
  kinds: readonly KindName[];
  subresource?: string;
  verbs: readonly Verb[];
  place?: Place;
  when?: Condition;
  /** A Role built for one sandbox grants it only on these names. */
  names?: NameScope;
  /** Needed only for the kinds a sandbox holds: a sandbox without a StatefulSet never writes one. */
  onlyHeld?: boolean;
  /** Why, said with a refusal: "to group pods under their Deployments". */
  why: string;
  /** What Tether does without it; a need without one is required for the feature to work. */
  fallback?: string;
  /** Written next to its rule in the generated Roles, e.g. "shareable preview host, Ingress mode". */
  note?: string;
}

export type FeatureId = 'explorer' | 'gpus' | 'completion' | 'tunnel' | 'sandbox' | 'preview' | 'share' | 'checks' | 'delete' | 'sandboxes' | 'agent';

export interface Feature {
  id: FeatureId;
  /** In sentences: "the Cluster view", "Preview Changes". */
  title: string;
  needs: readonly Need[];
}

/** Where a feature works: its namespace, the sandbox's baseline, and which conditions hold. */
export interface Where {
  namespace: string;
  /** Default: `namespace`. */
  baseline?: string;
  conditions?: Iterable<Condition>;
}

/** One access check a need amounts to, with what it is for. */
export interface NeededCheck extends AccessCheck {
  why: string;
  fallback?: string;
  note?: string;
  names?: NameScope;
  onlyHeld?: boolean;
}

function applies(need: Need, conditions: ReadonlySet<Condition>): boolean {
  return need.when === undefined || conditions.has(need.when);
}

/** The checks `needs` amount to in `where`: one per (kind, verb), namespaced where they apply. */
export function checksOf(needs: readonly Need[], where: Where): NeededCheck[] {
  const conditions = new Set(where.conditions ?? []);
  const out: NeededCheck[] = [];
  for (const need of needs) {
    if (!applies(need, conditions)) continue;
    for (const kind of need.kinds) {
      const info = kinds[kind];
      for (const verb of need.verbs) {
        const check: NeededCheck = { verb, resource: info.plural, why: need.why };
        if (info.group) check.group = info.group;
        if (need.subresource) check.subresource = need.subresource;
        if (info.namespaced && need.place !== 'allNamespaces') check.namespace = need.place === 'baseline' ? (where.baseline ?? where.namespace) : where.namespace;
        // The namespace object itself is named (but for a create, which names nothing yet) and, as
        // the API server resolves a request for it, in itself.
        if (!info.namespaced && need.names === 'own' && verb !== 'create') Object.assign(check, { name: where.namespace, namespace: where.namespace });
        if (need.fallback) check.fallback = need.fallback;
        if (need.note) check.note = need.note;
        if (need.names) check.names = need.names;
        if (need.onlyHeld) check.onlyHeld = true;
        out.push(check);
      }
    }
  }
  return out;
}

/** The checks a feature cannot work without: those without a fallback (what a preflight insists on). */
export function requiredOf<T extends { fallback?: string }>(checks: readonly T[]): T[] {
  return checks.filter((c) => !c.fallback);
}

/** Identity of a check, for sets of them. */
export function checkKey(c: AccessCheck): string {
  return JSON.stringify([c.verb, c.group ?? '', c.resource, c.subresource ?? '', c.namespace ?? '', c.name ?? '']);
}

/** `checks` without repeats (the first of equal ones kept). */
export function uniqueChecks<T extends AccessCheck>(checks: Iterable<T>): T[] {
  const seen = new Map<string, T>();
  for (const c of checks) if (!seen.has(checkKey(c))) seen.set(checkKey(c), c);
  return [...seen.values()];
}

/** The check as a plain AccessCheck (without what it is for). */
export function plainCheck(c: AccessCheck): AccessCheck {
  const out: AccessCheck = { verb: c.verb, resource: c.resource };
  if (c.group) out.group = c.group;
  if (c.subresource) out.subresource = c.subresource;
  if (c.namespace) out.namespace = c.namespace;
  if (c.name) out.name = c.name;
  return out;
}
