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
  /** GET of a plain-text answer (pods/log). */
  text(path: string): Promise<{ status: number; text: string }>;
}

export function clusterRest(kubeconfigPath = process.env.TETHER_TEST_SIM_KUBECONFIG): ClusterRest {
  if (!kubeconfigPath) throw new Error('TETHER_TEST_SIM_KUBECONFIG is not set: these tests need the simulator');
  const config = parse(readFileSync(kubeconfigPath, 'utf8')) as Kubeconfig;
  const context = config.contexts.find((c) => c.name === config['current-context'])?.context;
  const cluster = config.clusters.find((c) => c.name === context?.cluster)?.cluster;
  const token = config.users.find((u) => u.name === context?.user)?.user.token;
  if (!cluster || !token) throw new Error(`${kubeconfigPath}: no server or token for the current context`);
  const ca = cluster['certificate-authority-data'] ? Buffer.from(cluster['certificate-authority-data'], 'base64') : undefined;
  const send = (method: string, path: string, body: unknown, accept: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(new URL(path, cluster.server), {
        method,
        ca,
        headers: {
          authorization: `Bearer ${token}`,
          accept,
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => { text += chunk; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(payload);
    });
  return {
    async call<T>(method: string, path: string, body?: unknown) {
      const { status, text } = await send(method, path, body, 'application/json');
      return { status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    text: (path: string) => send('GET', path, undefined, '*/*'),
  };
}
