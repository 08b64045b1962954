/**
 * In-cluster API access for process pods, as a real pod gets it: KUBERNETES_SERVICE_HOST/PORT and
 * the service account's token, CA and namespace mounted at
 * /var/run/secrets/kubernetes.io/serviceaccount (unless automountServiceAccountToken is false).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ApiServerAccess {
  /** Address process pods dial, e.g. 127.0.0.1 (must match the serving certificate). */
  host: string;
  port: number;
  caPem: string;
  /** Bearer token the pod's service account presents. Never logged. */
  token: string;
}

export const serviceAccountMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Writes token, ca.crt and namespace (token readable by the owner only); returns the folder. */
export function writeServiceAccount(dir: string, access: ApiServerAccess, namespace: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'token'), access.token, { mode: 0o600 });
  writeFileSync(join(dir, 'ca.crt'), access.caPem);
  writeFileSync(join(dir, 'namespace'), namespace);
  return dir;
}

/** The service environment variables the kubelet sets for the `kubernetes` Service. */
export function kubernetesServiceEnv(access: ApiServerAccess): Record<string, string> {
  const port = String(access.port);
  const address = `tcp://${access.host}:${port}`;
  return {
    KUBERNETES_SERVICE_HOST: access.host,
    KUBERNETES_SERVICE_PORT: port,
    KUBERNETES_SERVICE_PORT_HTTPS: port,
    KUBERNETES_PORT: address,
    [`KUBERNETES_PORT_${port}_TCP`]: address,
    [`KUBERNETES_PORT_${port}_TCP_PROTO`]: 'tcp',
    [`KUBERNETES_PORT_${port}_TCP_PORT`]: port,
    [`KUBERNETES_PORT_${port}_TCP_ADDR`]: access.host,
  };
}
