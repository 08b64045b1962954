/**
 * Reads a workload's container environment from the cluster: the pod template of a Deployment,
 * StatefulSet, DaemonSet or bare Pod, then every ConfigMap and Secret it references. Nothing is
 * written anywhere; `writeEnvFile` exists for when the user asks for a file (created 0600).
 */
import { chmod, open } from 'node:fs/promises';
import type { KubeClient } from '../kube/api';
import { ExplainedError } from '../kube/errors';
import { kinds, type KindInfo } from '../kube/kinds';
import type { KubeObject } from '../kube/types';
import { dotenvText, referencedObjects, resolveEnvironment, type ContainerEnv, type ResolvedEnvironment } from './environment';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Pod';

export interface WorkloadRef {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  /** Which container; default the first. */
  container?: string;
}

function podSpecOf(kind: WorkloadKind, object: KubeObject): { containers?: ContainerEnv[] } | undefined {
  const spec = object.spec as { template?: { spec?: { containers?: ContainerEnv[] } }; containers?: ContainerEnv[] } | undefined;
  return kind === 'Pod' ? spec : spec?.template?.spec;
}

async function readData(client: KubeClient, info: KindInfo, namespace: string, name: string, signal?: AbortSignal): Promise<Record<string, string> | undefined> {
  try {
    const object = await client.get<{ data?: Record<string, string>; stringData?: Record<string, string> }>(info, namespace, name, signal);
    if (info.kind !== 'Secret') return { ...object.data };
    const decoded: Record<string, string> = {};
    for (const [key, value] of Object.entries(object.data ?? {})) decoded[key] = Buffer.from(value, 'base64').toString('utf8');
    return { ...decoded, ...object.stringData };
  } catch (err) {
    if (err instanceof ExplainedError && (err.reason === 'NotFound' || err.reason === 'Forbidden')) return undefined;
    throw err;
  }
}

/** The environment of the workload's container, resolved. Unreadable references become `problems`. */
export async function fetchWorkloadEnvironment(client: KubeClient, ref: WorkloadRef, signal?: AbortSignal): Promise<ResolvedEnvironment & { container: string }> {
  const object = await client.get<KubeObject>(kinds[ref.kind], ref.namespace, ref.name, signal);
  const containers = podSpecOf(ref.kind, object)?.containers ?? [];
  const container = ref.container ? containers.find((c) => c.name === ref.container) : containers[0];
  if (!container) {
    throw new ExplainedError({
      reason: 'NotFound',
      what: `Read the environment of ${ref.kind} "${ref.name}"`,
      why: ref.container ? `it has no container named "${ref.container}"` : 'it has no containers',
      remedy: 'Pick another workload or container',
    });
  }
  const refs = referencedObjects(container);
  const configMaps = new Map<string, Record<string, string>>();
  const secrets = new Map<string, Record<string, string>>();
  await Promise.all([
    ...refs.configMaps.map(async (name) => {
      const data = await readData(client, kinds.ConfigMap, ref.namespace, name, signal);
      if (data) configMaps.set(name, data);
    }),
    ...refs.secrets.map(async (name) => {
      const data = await readData(client, kinds.Secret, ref.namespace, name, signal);
      if (data) secrets.set(name, data);
    }),
  ]);
  const fields: Record<string, string> = { 'metadata.namespace': ref.namespace };
  if (ref.kind === 'Pod') fields['metadata.name'] = ref.name;
  return { ...resolveEnvironment(container, { configMaps, secrets, fields }), container: container.name };
}

/** Writes the variables as a dotenv file readable only by the user (0600), replacing any old one. */
export async function writeEnvFile(path: string, variables: Readonly<Record<string, string>>): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(dotenvText(variables), 'utf8');
  } finally {
    await handle.close();
  }
  await chmod(path, 0o600);
}
