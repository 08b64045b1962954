/**
 * Putting a tunnel's objects into the cluster and taking them out again. Writes use server-side
 * apply with field manager "tether"; an existing object without Tether's label is never touched
 * (the deploy stops with an explanation instead). `stopTunnel` deletes only objects that carry the
 * tunnel's label and Tether's managed-by label.
 */
import type { KubeClient } from '../kube/api';
import { ExplainedError } from '../kube/errors';
import { kinds, resourcePath, type KindInfo } from '../kube/kinds';
import type { KubeObject } from '../kube/types';
import type { Manifest, RelayObjects } from './relay';
import { isTetherManaged, relaySelector, selectorText } from './relayLabels';

const fieldManager = 'tether';

/** The kinds a tunnel creates, in the order they are applied (the Deployment reads the other two). */
const tunnelKinds: KindInfo[] = [kinds.ConfigMap, kinds.Secret, kinds.Deployment, kinds.Service];

function kindOf(manifest: Manifest): KindInfo {
  const info = tunnelKinds.find((k) => k.kind === manifest.kind);
  if (!info) throw new RangeError(`a tunnel does not create ${manifest.kind} objects`);
  return info;
}

async function existing(client: KubeClient, info: KindInfo, namespace: string, name: string, signal?: AbortSignal): Promise<KubeObject | undefined> {
  try {
    return await client.get<KubeObject>(info, namespace, name, signal);
  } catch (err) {
    if (err instanceof ExplainedError && err.reason === 'NotFound') return undefined;
    throw err;
  }
}

/** Server-side apply of one manifest, refusing to take over an object Tether does not manage. */
export async function applyManaged(client: KubeClient, manifest: Manifest, signal?: AbortSignal): Promise<KubeObject> {
  const info = kindOf(manifest);
  const { name, namespace } = manifest.metadata;
  const current = await existing(client, info, namespace, name, signal);
  if (current && !isTetherManaged(current)) {
    throw new ExplainedError({
      reason: 'AlreadyExists',
      what: `Create ${manifest.kind} "${name}" in namespace "${namespace}"`,
      why: `a ${manifest.kind} with that name already exists and was not created by Tether`,
      remedy: 'Tether never changes objects it did not create; rename or remove that object, or tunnel a different workload',
    });
  }
  return client.request<KubeObject>({
    what: `Apply ${manifest.kind} "${name}" in namespace "${namespace}"`,
    method: 'PATCH',
    path: resourcePath(info, namespace, name),
    query: { fieldManager, force: true },
    body: manifest,
    contentType: 'application/apply-patch+yaml',
    signal,
  });
}

/** Applies every object of the tunnel. */
export async function deployRelay(client: KubeClient, objects: RelayObjects, signal?: AbortSignal): Promise<void> {
  for (const manifest of [objects.configMap, objects.secret, objects.deployment, objects.service]) {
    await applyManaged(client, manifest, signal);
  }
}

export interface StoppedTunnel {
  /** "Deployment/tether-relay-web", … in deletion order. */
  deleted: string[];
}

/**
 * Deletes the cluster objects of the tunnel `name` in `namespace`: the ones labelled with it and
 * managed by Tether, nothing else. Objects already gone are fine.
 */
export async function stopTunnel(client: KubeClient, namespace: string, name: string, signal?: AbortSignal): Promise<StoppedTunnel> {
  const labelSelector = selectorText(relaySelector(name));
  const deleted: string[] = [];
  // The Service first, so callers stop being routed to a relay that is going away.
  for (const info of [kinds.Service, kinds.Deployment, kinds.Secret, kinds.ConfigMap]) {
    const { items } = await client.list<KubeObject>(info, namespace, { labelSelector, signal });
    for (const item of items.filter(isTetherManaged)) {
      try {
        await client.delete(info, namespace, item.metadata.name, { propagationPolicy: 'Background', signal });
        deleted.push(`${info.kind}/${item.metadata.name}`);
      } catch (err) {
        if (!(err instanceof ExplainedError && err.reason === 'NotFound')) throw err;
      }
    }
  }
  return { deleted };
}
