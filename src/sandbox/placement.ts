/**
 * Where a sandbox goes, decided by asking the API server (SelfSubjectAccessReview): its own
 * namespace when the user may create namespaces, otherwise name-prefixed objects in a namespace
 * they can use. And the permission preflight for a plan, reported all at once with the Role that
 * grants what is missing.
 */
import { checkAccess, describeCheck, minimalRole, type AccessCheck } from '../kube/access';
import type { KubeClient } from '../kube/api';
import { ExplainedError } from '../kube/errors';
import { kinds, type KindInfo } from '../kube/kinds';
import type { KubeObject } from '../kube/types';
import { knownKind } from './lifecycle/apply';
import { copiedFromAnnotation } from './forks/configCopies';
import { isTetherOwned } from './labels';
import type { Placement, SandboxPlan } from './plan';

export interface PlacementChoice {
  placement: Placement;
  /** Said plainly to the user, e.g. why the sandbox shares a namespace. */
  reason: string;
}

export async function choosePlacement(client: KubeClient, options: { baselineNamespace: string; sharedNamespace?: string }, signal?: AbortSignal): Promise<PlacementChoice> {
  const [answer] = await checkAccess(client, [{ verb: 'create', resource: 'namespaces' }], signal);
  if (answer.allowed) return { placement: { mode: 'namespace' }, reason: 'You may create namespaces, so the sandbox gets a namespace of its own.' };
  const namespace = options.sharedNamespace ?? options.baselineNamespace;
  const why = answer.reason ? ` (${answer.reason})` : '';
  return {
    placement: { mode: 'shared', namespace },
    reason: `You may not create namespaces${why}, so the sandbox's objects are created in namespace "${namespace}" with your sandbox's name as prefix.`,
  };
}

/** The Deployments, StatefulSets and Services of the baseline namespace; sandboxes sharing it are not part of it. */
export async function readBaseline(client: KubeClient, namespace: string, signal?: AbortSignal): Promise<KubeObject[]> {
  const listed = await Promise.all(
    (['Deployment', 'StatefulSet', 'Service'] as const).map(async (kind) => (await client.listAll<KubeObject>(kinds[kind], namespace, { signal })).items.map((o) => ({ ...o, kind }))),
  );
  return listed.flat().filter((o) => !isTetherOwned(o));
}

const verbs = ['get', 'list', 'create', 'patch', 'delete'] as const;

/** Why a permission outside the sandbox's namespace is needed, said with it. */
const copyReason = 'to copy what the forks reference into the sandbox';

/** Reading, by name, each baseline object the plan copies (configCopies.ts). */
function copyChecks(plan: SandboxPlan): AccessCheck[] {
  return plan.objects.flatMap((o) => {
    const from = o.metadata.annotations?.[copiedFromAnnotation];
    const info = knownKind(o.kind);
    if (!from || !info) return [];
    const [namespace, name] = from.split('/');
    return [{ verb: 'get', resource: info.plural, namespace, name }];
  });
}

/** Everything applying and later deleting `plan` needs, as access checks. */
export function planChecks(plan: SandboxPlan): AccessCheck[] {
  const seen = new Map<string, KindInfo>();
  for (const o of plan.objects) {
    const info = knownKind(o.kind);
    if (info) seen.set(o.kind, info);
  }
  const checks: AccessCheck[] = [];
  for (const info of seen.values()) {
    for (const verb of verbs) {
      if (info.kind === 'Namespace' && verb === 'list') continue;
      const check: AccessCheck = { verb, resource: info.plural };
      if (info.group) check.group = info.group;
      if (info.namespaced) check.namespace = plan.namespace;
      else if (verb !== 'create') check.name = plan.namespace;
      checks.push(check);
    }
  }
  return [...checks, ...copyChecks(plan)];
}

/** Throws Forbidden, naming every missing permission and the Role that grants them, before anything is written. */
export async function assertPlanAllowed(client: KubeClient, plan: SandboxPlan, signal?: AbortSignal): Promise<void> {
  const results = await checkAccess(client, planChecks(plan), signal);
  const missing = results.filter((r) => !r.allowed).map((r) => r.check);
  if (missing.length === 0) return;
  const byNamespace = new Map<string, AccessCheck[]>();
  for (const { namespace, ...check } of missing) if (namespace) byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), check]);
  const roles = [...byNamespace].map(([namespace, checks]) => minimalRole(checks, namespace, 'tether-sandbox')).join('---\n');
  const role = roles ? `\n\nA cluster admin can grant them with:\n\n${roles}` : '';
  const described = missing.map((c) => (c.namespace && c.namespace !== plan.namespace ? `${describeCheck(c)} (${copyReason})` : describeCheck(c)));
  throw new ExplainedError({
    reason: 'Forbidden',
    what: `Create sandbox "${plan.sandbox}"`,
    why: `you may not ${described.join(', ')}`,
    remedy: `Ask a cluster admin for these permissions${role}`,
    status: 403,
  });
}
