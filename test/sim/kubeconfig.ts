/** Writes a kubeconfig for the simulator: one cluster, one user and context per simulated user. */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigInput {
  server: string;
  caPem: string;
  clusterName: string;
  /** The first user is the current context's user. */
  users: { name: string; token: string }[];
}

/** Context name for a user: the cluster name for the first user, `<cluster>-<user>` for the others. */
export function contextName(clusterName: string, user: string, first: boolean): string {
  return first ? clusterName : `${clusterName}-${user}`;
}

export function renderKubeconfig(input: KubeconfigInput): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name: input.clusterName, cluster: { server: input.server, 'certificate-authority-data': Buffer.from(input.caPem).toString('base64') } }],
    users: input.users.map((u) => ({ name: `${input.clusterName}-${u.name}`, user: { token: u.token } })),
    contexts: input.users.map((u, i) => ({
      name: contextName(input.clusterName, u.name, i === 0),
      context: { cluster: input.clusterName, user: `${input.clusterName}-${u.name}`, namespace: 'default' },
    })),
    'current-context': input.clusterName,
  };
  return stringify(config);
}

export function writeKubeconfig(path: string, input: KubeconfigInput): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderKubeconfig(input), { mode: 0o600 });
}
