/**
 * Applying a sandbox plan with server-side apply (fieldManager "tether") in dependency order.
 * Before any write, every planned object is looked up: one that exists without this sandbox's
 * labels (a baseline object, someone else's sandbox) stops the apply with a conflict. Objects this
 * attempt creates are remembered; if the apply fails or is cancelled they are deleted again, and
 * what existed before is left as it was. Objects of the sandbox the plan no longer has are pruned.
 */
import type { KubeClient } from '../../kube/api';
import { describeTarget } from '../../kube/api';
import { ExplainedError, isCancellation } from '../../kube/errors';
import { kinds, resourcePath, type KindInfo, type KindName } from '../../kube/kinds';
import type { KubeObject } from '../../kube/types';
import type { DesiredObject } from '../desired';
import { belongsTo, checkRole, developerAnnotation, fieldManager, isTetherOwned, ownerLabel, roleLabel, sandboxLabel } from '../labels';
import type { SandboxPlan } from '../plan';
import { deleteOwned, listSandboxObjects } from '../sandboxObjects';

export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

export type ApplyProgress =
  | { phase: 'checking'; total: number }
  | { phase: 'applying'; object: ObjectRef; index: number; total: number; created: boolean }
  | { phase: 'pruning'; object: ObjectRef }
  | { phase: 'rolling-back'; object: ObjectRef }
  | { phase: 'done'; created: number; updated: number; pruned: number };

export interface ApplyOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ApplyProgress) => void;
}

export interface ApplyResult {
  created: ObjectRef[];
  updated: ObjectRef[];
  pruned: ObjectRef[];
  /** The applied Lease as the server returned it. */
  lease: KubeObject;
}

/** The REST facts of a kind Tether knows, or undefined. */
export function knownKind(kind: string): KindInfo | undefined {
  return (kinds as Record<string, KindInfo | undefined>)[kind as KindName];
}

export function kindOf(kind: string): KindInfo {
  const info = knownKind(kind);
  if (!info) throw new ExplainedError({ reason: 'Invalid', what: `Apply a ${kind}`, why: `Tether does not know the kind ${kind}`, remedy: 'Remove it from the relay objects' });
  return info;
}

export function refOf(object: { kind?: string; metadata: { name: string; namespace?: string } }): ObjectRef {
  const ref: ObjectRef = { kind: object.kind ?? '', name: object.metadata.name };
  if (object.metadata.namespace) ref.namespace = object.metadata.namespace;
  return ref;
}

function describe(object: DesiredObject): string {
  return describeTarget(kindOf(object.kind), object.metadata.namespace, object.metadata.name);
}

async function lookup(client: KubeClient, object: DesiredObject, signal?: AbortSignal): Promise<KubeObject | undefined> {
  try {
    return await client.get<KubeObject>(kindOf(object.kind), object.metadata.namespace, object.metadata.name, signal);
  } catch (err) {
    if (err instanceof ExplainedError && err.reason === 'NotFound') return undefined;
    throw err;
  }
}

export function conflictError(plan: Pick<SandboxPlan, 'sandbox'>, object: DesiredObject, existing: KubeObject): ExplainedError {
  const labels = existing.metadata.labels ?? {};
  const why = isTetherOwned(existing)
    ? `it already exists and belongs to sandbox "${labels[sandboxLabel]}" of ${labels[ownerLabel]}, not to "${plan.sandbox}"`
    : existing.metadata.deletionTimestamp
      ? 'an object of that name is still being deleted'
      : 'an object of that name already exists and was not created by Tether (it may be part of the baseline); Tether never changes objects it does not own';
  const remedy = isTetherOwned(existing)
    ? 'Use another branch name, or delete the other sandbox if it is yours'
    : existing.metadata.deletionTimestamp
      ? 'Wait until it is gone, then try again'
      : 'Rename or remove that object, or create the sandbox in another namespace';
  return new ExplainedError({ reason: 'Conflict', what: `Create ${describe(object)} for sandbox "${plan.sandbox}"`, why, remedy, status: 409 });
}

function sameNameError(plan: Pick<SandboxPlan, 'sandbox'>, object: DesiredObject, developer: string): ExplainedError {
  return new ExplainedError({
    reason: 'Conflict',
    what: `Create sandbox "${plan.sandbox}" in namespace "${object.metadata.namespace}"`,
    why: `a sandbox of that name already exists and belongs to ${developer}: your names differ only in characters a Kubernetes name cannot hold`,
    remedy: 'Use another branch, or a different developer name',
    step: { code: 'changeSetting', setting: 'sandbox.developer' },
    status: 409,
  });
}

/** One server-side apply. `force` only for objects already known to be this sandbox's. */
export function serverSideApply(client: KubeClient, object: DesiredObject, force: boolean, signal?: AbortSignal): Promise<KubeObject> {
  return client.request<KubeObject>({
    what: `Apply ${describe(object)}`,
    method: 'PATCH',
    path: resourcePath(kindOf(object.kind), object.metadata.namespace, object.metadata.name),
    query: { fieldManager, force: force ? true : undefined },
    contentType: 'application/apply-patch+yaml',
    body: object,
    signal,
  });
}

function withOwner(object: DesiredObject, lease: KubeObject): DesiredObject {
  if (object.kind === 'Namespace' || object.kind === 'Lease' || !lease.metadata.uid) return object;
  const owner = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: lease.metadata.name, uid: lease.metadata.uid };
  return { ...object, metadata: { ...object.metadata, ownerReferences: [owner] } };
}

/**
 * Applies `plan`. Objects after the Lease get it as owner, so whatever outlives a cleanup is
 * garbage-collected with the Lease. Throws ExplainedError; on failure or cancellation, what this
 * attempt created has been deleted again.
 */
export async function applyPlan(client: KubeClient, plan: SandboxPlan, options: ApplyOptions = {}): Promise<ApplyResult> {
  const { signal } = options;
  const progress = options.onProgress ?? (() => undefined);
  const total = plan.objects.length;
  progress({ phase: 'checking', total });
  const existing = await Promise.all(plan.objects.map((o) => lookup(client, o, signal)));
  plan.objects.forEach((object, i) => {
    const found = existing[i];
    if (found && (!belongsTo(found, plan.sandbox) || found.metadata.deletionTimestamp)) throw conflictError(plan, object, found);
    const theirs = found?.metadata.annotations?.[developerAnnotation];
    const ours = object.metadata.annotations?.[developerAnnotation];
    if (object.kind === 'Lease' && theirs && ours && theirs !== ours) throw sameNameError(plan, object, theirs);
  });
  const created: ObjectRef[] = [];
  const createdObjects: DesiredObject[] = [];
  const updated: ObjectRef[] = [];
  let lease: KubeObject | undefined;
  try {
    for (const [index, planned] of plan.objects.entries()) {
      const object = lease ? withOwner(planned, lease) : planned;
      const isNew = existing[index] === undefined;
      progress({ phase: 'applying', object: refOf(object), index, total, created: isNew });
      const applied = await serverSideApply(client, object, !isNew, signal);
      if (isNew) {
        created.push(refOf(object));
        createdObjects.push(object);
      } else {
        updated.push(refOf(object));
      }
      if (object.kind === 'Lease') lease = applied;
    }
  } catch (err) {
    const rolledBack = await rollback(client, plan, createdObjects, progress);
    throw rollbackError(plan, err, rolledBack);
  }
  if (!lease) throw new ExplainedError({ reason: 'Invalid', what: `Create sandbox "${plan.sandbox}"`, why: 'the plan has no Lease', remedy: 'Plan the sandbox with planSandbox' });
  const pruned = await prune(client, plan, signal, progress);
  progress({ phase: 'done', created: created.length, updated: updated.length, pruned: pruned.length });
  return { created, updated, pruned, lease };
}

/** Deletes, newest first, what this attempt created; a created namespace takes its contents along. */
async function rollback(client: KubeClient, plan: SandboxPlan, created: DesiredObject[], progress: (p: ApplyProgress) => void): Promise<{ deleted: number; failed: string[] }> {
  const createdNamespace = created.some((o) => o.kind === 'Namespace');
  const failed: string[] = [];
  let deleted = 0;
  for (const object of [...created].reverse()) {
    if (createdNamespace && object.kind !== 'Namespace') continue;
    progress({ phase: 'rolling-back', object: refOf(object) });
    try {
      await deleteOwned(client, kindOf(object.kind), object.metadata.namespace, object.metadata.name, plan.sandbox);
      deleted++;
    } catch (err) {
      if (!(err instanceof ExplainedError && err.reason === 'NotFound')) failed.push(`${describe(object)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { deleted: createdNamespace ? created.length : deleted, failed };
}

function rollbackError(plan: SandboxPlan, err: unknown, rolledBack: { deleted: number; failed: string[] }): unknown {
  if (isCancellation(err)) return err;
  const undone = rolledBack.deleted > 0 ? `; the ${rolledBack.deleted} object(s) this attempt had created were removed again` : '';
  const left = rolledBack.failed.length > 0 ? `; these could not be removed: ${rolledBack.failed.join('; ')}` : '';
  if (err instanceof ExplainedError) {
    const explanation = { ...err.toExplanation(), what: `Create sandbox "${plan.sandbox}": ${err.what}`, why: `${err.why}${undone}${left}` };
    // What could not be removed goes with the sandbox: its deletion is the next step once the cause is fixed.
    return new ExplainedError(left ? { ...explanation, step: { code: 'deleteSandbox', sandbox: plan.sandbox } } : explanation, { cause: err });
  }
  return err;
}

/**
 * Roles of objects a sandbox holds that no plan describes: a check run's Job is its result (status
 * and the pod's log) and stays until its ttlSecondsAfterFinished, or until the sandbox goes.
 */
const unplannedRoles: ReadonlySet<string> = new Set([checkRole]);

/**
 * Deletes this sandbox's planned objects (those with a role label) that the plan no longer has (a
 * fork removed from tether.yaml). Objects others put in the sandbox, such as a tunnel's, stay, and
 * so do the Jobs of check runs.
 */
async function prune(client: KubeClient, plan: SandboxPlan, signal: AbortSignal | undefined, progress: (p: ApplyProgress) => void): Promise<ObjectRef[]> {
  const wanted = new Set(plan.objects.map((o) => `${o.kind}/${o.metadata.name}`));
  const pruned: ObjectRef[] = [];
  for (const object of await listSandboxObjects(client, plan.namespace, plan.sandbox, signal)) {
    const role = object.metadata.labels?.[roleLabel];
    if (wanted.has(`${object.kind}/${object.metadata.name}`) || !role || unplannedRoles.has(role)) continue;
    progress({ phase: 'pruning', object: refOf(object) });
    await deleteOwned(client, kindOf(object.kind ?? ''), object.metadata.namespace, object.metadata.name, plan.sandbox, signal);
    pruned.push(refOf(object));
  }
  return pruned;
}
