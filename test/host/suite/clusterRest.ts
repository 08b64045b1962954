/**
 * Direct REST calls to the test cluster with the credentials of its kubeconfig (path in
 * TETHER_TEST_SIM_KUBECONFIG): how the tests change the cluster behind the extension's back.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { parse } from 'yaml';

interface Kubeconfig {
  'current-context': string;
  contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
  clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data'?: string } }>;
  users: Array<{ name: string; user: { token?: string } }>;
}

export interface ClusterRest {
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export function clusterRest(kubeconfigPath = process.env.TETHER_TEST_SIM_KUBECONFIG): ClusterRest {
  if (!kubeconfigPath) throw new Error('TETHER_TEST_SIM_KUBECONFIG is not set: these tests need the simulator');
  const config = parse(readFileSync(kubeconfigPath, 'utf8')) as Kubeconfig;
  const context = config.contexts.find((c) => c.name === config['current-context'])?.context;
  const cluster = config.clusters.find((c) => c.name === context?.cluster)?.cluster;
  const token = config.users.find((u) => u.name === context?.user)?.user.token;
  if (!cluster || !token) throw new Error(`${kubeconfigPath}: no server or token for the current context`);
  const ca = cluster['certificate-authority-data'] ? Buffer.from(cluster['certificate-authority-data'], 'base64') : undefined;
  return {
    call<T>(method: string, path: string, body?: unknown) {
      return new Promise<{ status: number; body: T }>((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = request(new URL(path, cluster.server), {
          method,
          ca,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/json' } : {}),
          },
        }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => { text += chunk; });
          res.on('end', () => {
            try {
              resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : undefined) as T });
            } catch (err) {
              reject(err);
            }
          });
        });
        req.on('error', reject);
        req.end(payload);
      });
    },
  };
}
