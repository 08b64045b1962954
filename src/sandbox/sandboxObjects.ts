/**
 * Reading and deleting a sandbox's objects, only ever the ones carrying its labels. A delete is
 * preceded by a read that checks the labels and is made with the read object's uid as a
 * precondition, so an object replaced in between by someone else is never deleted.
 */
import type { KubeClient } from '../kube/api';
import { describeTarget } from '../kube/api';
import { ExplainedError } from '../kube/errors';
import { kinds, resourcePath, type KindInfo, type KindName } from '../kube/kinds';
import type { KubeObject } from '../kube/types';
import { cleanupKinds } from './lifecycle/cleanupKinds';
import { belongsTo, sandboxSelector } from './labels';

/** A sandbox's objects as read, and the kinds whose list was refused (in cleanup order). */
export interface SandboxObjectsRead {
  objects: KubeObject[];
  refused: Array<{ kind: string; error: ExplainedError }>;
}

/**
 * Every object labelled for `sandbox` in `namespace`, of the kinds a sandbox holds, with `kind`
 * set; a kind the user may not list is reported with its refusal instead of failing the read.
 */
export async function readSandboxObjects(client: KubeClient, namespace: string, sandbox: string, signal?: AbortSignal): Promise<SandboxObjectsRead> {
  const refused: Array<{ kind: string; error: ExplainedError } | undefined> = [];
  const lists = await Promise.all(
    cleanupKinds.map(async (k, index) => {
      const info = kinds[k.kind as KindName];
      try {
        const { items } = await client.listAll<KubeObject>(info, namespace, { labelSelector: sandboxSelector(sandbox), signal });
        return items.filter((o) => belongsTo(o, sandbox)).map((o) => ({ ...o, kind: k.kind, apiVersion: o.apiVersion ?? (k.group ? `${k.group}/${k.version}` : k.version) }));
      } catch (err) {
        if (!(err instanceof ExplainedError)) throw err;
        // A cluster without the Gateway API has no HTTPRoutes, and who may not list Ingresses made none.
        if (k.optional && (err.reason === 'NotFound' || err.reason === 'Forbidden')) return [];
        if (err.reason !== 'Forbidden') throw err;
        refused[index] = { kind: k.kind, error: err };
        return [];
      }
    }),
  );
  return { objects: lists.flat(), refused: refused.filter((r) => r !== undefined) };
}

/** Every object labelled for `sandbox` in `namespace`, of the kinds a sandbox holds, with `kind` set. */
export async function listSandboxObjects(client: KubeClient, namespace: string, sandbox: string, signal?: AbortSignal): Promise<KubeObject[]> {
  const { objects, refused } = await readSandboxObjects(client, namespace, sandbox, signal);
  if (refused.length > 0) throw refused[0].error;
  return objects;
}

/**
 * Deletes one object if, and only if, it carries `sandbox`'s labels. Resolves quietly when it is
 * already gone; throws a Conflict when it exists without them.
 */
export async function deleteOwned(client: KubeClient, kind: KindInfo, namespace: string | undefined, name: string, sandbox: string, signal?: AbortSignal): Promise<void> {
  let current: KubeObject;
  try {
    current = await client.get<KubeObject>(kind, namespace, name, signal);
  } catch (err) {
    if (err instanceof ExplainedError && err.reason === 'NotFound') return;
    throw err;
  }
  const what = `Delete ${describeTarget(kind, namespace, name)}`;
  if (!belongsTo(current, sandbox)) {
    throw new ExplainedError({ reason: 'Conflict', what, why: `it does not carry the labels of sandbox "${sandbox}", so Tether leaves it alone`, remedy: 'Delete it yourself if it really is left over', status: 409 });
  }
  if (current.metadata.deletionTimestamp) return;
  try {
    await client.request<unknown>({
      what,
      method: 'DELETE',
      path: resourcePath(kind, namespace, name),
      body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background', preconditions: { uid: current.metadata.uid } },
      signal,
    });
  } catch (err) {
    if (err instanceof ExplainedError && err.reason === 'NotFound') return;
    throw err;
  }
}
