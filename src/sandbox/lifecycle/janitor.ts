/**
 * The janitor: for a sandbox without a relay (only `image` and `env` forks), a one-replica
 * Deployment that runs the self-cleanup bundle (janitorMain.ts) on a stock Node image, so such a
 * sandbox cleans up after itself too. Restricted Pod Security, small requests and limits.
 */
import type { DesiredObject } from '../desired';
import type { RelayRequest } from '../relayRequest';

export const janitorMountPath = '/opt/tether';
export const janitorFileName = 'sandbox-janitor.js';

/** What the plan hands the janitor builder (a relay request without fork ports). */
export type JanitorRequest = Pick<RelayRequest, 'name' | 'namespace' | 'labels' | 'serviceAccountName' | 'cleanupEnv'>;
export type JanitorBuilder = (request: JanitorRequest) => DesiredObject[];

export interface JanitorOptions {
  /** The text of the bundled janitorMain.ts. */
  script: string;
  /** The setting tether.relay.image (any image with `node`). */
  image?: string;
  /** Poll interval of the Lease, ms (default 30 s). */
  pollMs?: number;
}

export function janitorBuilder(options: JanitorOptions): JanitorBuilder {
  return (request) => {
    const podLabels = { ...request.labels, 'tether.dev/janitor': request.name };
    const env = Object.entries(request.cleanupEnv).map(([name, value]) => ({ name, value }));
    if (options.pollMs) env.push({ name: 'TETHER_CLEANUP_POLL_MS', value: String(options.pollMs) });
    return [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: request.name, namespace: request.namespace, labels: request.labels }, data: { [janitorFileName]: options.script } },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: request.name, namespace: request.namespace, labels: request.labels },
        spec: {
          replicas: 1,
          revisionHistoryLimit: 1,
          strategy: { type: 'Recreate' },
          selector: { matchLabels: podLabels },
          template: {
            metadata: { labels: podLabels },
            spec: {
              serviceAccountName: request.serviceAccountName,
              automountServiceAccountToken: true,
              enableServiceLinks: false,
              terminationGracePeriodSeconds: 5,
              securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  name: 'janitor',
                  image: options.image || 'node:22-alpine',
                  imagePullPolicy: 'IfNotPresent',
                  command: ['node', `${janitorMountPath}/${janitorFileName}`],
                  env,
                  resources: { requests: { cpu: '5m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
                  securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
                  volumeMounts: [{ name: 'janitor', mountPath: janitorMountPath, readOnly: true }],
                },
              ],
              volumes: [{ name: 'janitor', configMap: { name: request.name, defaultMode: 0o444 } }],
            },
          },
        },
      },
    ];
  };
}
