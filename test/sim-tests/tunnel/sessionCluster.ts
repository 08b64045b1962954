/**
 * A simulated cluster with a deployed relay for session tests: the simulator with the process
 * runtime, the relay objects applied through the API as user "jane", a local HTTP server standing
 * in for the developer's process, and helpers to wait for session states.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import { KubeClient } from '../../../src/kube/api';
import { loadKubeconfig } from '../../../src/kube/config';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { defaultControlPort, relayObjects } from '../../../src/tunnel/relay';
import { deployRelay } from '../../../src/tunnel/relayDeploy';
import { relayName, relaySelector, selectorText } from '../../../src/tunnel/relayLabels';
import { TunnelSession, type TunnelSessionOptions, type TunnelState } from '../../../src/tunnel/session';
import { createPodRuntime, type ProcessPodRuntime } from '../../sim/runtime/index';
import { startSimulator, type Simulator } from '../../sim/server';

export const namespace = 'default';
export const relay = relayName('web');
export const token = 'session-token-0123456789';

let agentBundle: Promise<string> | undefined;

/** The relay agent bundled as the build bundles it into dist/relay-agent.js. */
export function agentScript(): Promise<string> {
  agentBundle ??= build({
    entryPoints: [path.join(__dirname, '..', '..', '..', 'src', 'tunnel', 'agent', 'main.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    minify: true,
    logLevel: 'silent',
  }).then((out) => out.outputFiles[0].text);
  return agentBundle;
}

export interface TunnelCluster {
  sim: Simulator;
  runtime: ProcessPodRuntime;
  client: KubeClient;
  local: Server;
  localPort: number;
  /** Requests the local server saw. */
  hits: string[];
  session(overrides?: Partial<TunnelSessionOptions>): TunnelSession;
  /** The relay's current pod, waiting up to `timeoutMs` for one to exist. */
  relayPod(timeoutMs?: number): Promise<KubeObject>;
}

export async function tunnelCluster(t: { after(fn: () => unknown): void }): Promise<TunnelCluster> {
  let runtime: ProcessPodRuntime | undefined;
  const sim = await startSimulator({
    runtime: (cluster) => (runtime = createPodRuntime(cluster, { backoff: { baseMs: 100, maxMs: 200 } })),
    timings: { reconcileMs: 5, scheduleMs: 10, startMs: 20, readyMs: 20, terminateMs: 20 },
    users: [{ name: 'jane' }],
  });
  sim.seed([
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
      status: { allocatable: { cpu: '4', memory: '8Gi', pods: '20' }, capacity: { cpu: '4', memory: '8Gi', pods: '20' }, conditions: [{ type: 'Ready', status: 'True' }] },
    },
  ]);
  const hits: string[] = [];
  const local = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end(`local says hi to ${req.url}`);
  });
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  const localPort = (local.address() as AddressInfo).port;
  const client = KubeClient.forContext(loadKubeconfig({ KUBECONFIG: sim.kubeconfigPath }), sim.contextOf('jane'));
  const sessions: TunnelSession[] = [];
  t.after(async () => {
    for (const s of sessions) s.dispose();
    client.dispose();
    local.closeAllConnections();
    await new Promise((resolve) => local.close(resolve));
    await sim.stop();
  });
  const objects = relayObjects({ name: relay, namespace, sandbox: 'jane-web', owner: 'jane', agentScript: await agentScript(), token, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
  await deployRelay(client, objects);
  return {
    sim,
    runtime: runtime!,
    client,
    local,
    localPort,
    hits,
    session(overrides = {}) {
      const session = new TunnelSession({
        client,
        namespace,
        selector: selectorText(relaySelector(relay)),
        token,
        controlPort: defaultControlPort,
        local: { host: '127.0.0.1', port: localPort },
        mux: { pingIntervalMs: 200, deadAfterMs: 1500 },
        backoff: { initialMs: 100, maxMs: 1000 },
        statsIntervalMs: 100,
        ...overrides,
      });
      sessions.push(session);
      return session.start();
    },
    async relayPod(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { items } = await client.list<KubeObject>(kinds.Pod, namespace, { labelSelector: selectorText(relaySelector(relay)) });
        const pod = items.find((p) => !p.metadata.deletionTimestamp);
        if (pod) return pod;
        if (Date.now() > deadline) throw new Error('no relay pod');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** Resolves with the first state that passes `test`, looking at the current one first. */
export function stateWhere(session: TunnelSession, test: (s: TunnelState) => boolean, timeoutMs = 15_000): Promise<TunnelState> {
  return new Promise((resolve, reject) => {
    if (test(session.state)) return resolve(session.state);
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`session never reached the expected state; last: ${JSON.stringify(session.state)}`));
    }, timeoutMs);
    const sub = session.onDidChangeState((s) => {
      if (!test(s)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(s);
    });
  });
}

/** GET through a raw host:port (an in-cluster caller reaching the relay pod's data port). */
export function httpGet(host: string, port: number, urlPath: string, timeoutMs = 5000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: urlPath, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${host}:${port} in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** An in-cluster caller: GET on the relay pod's data port, where the runtime really listens. */
export async function callRelay(cluster: TunnelCluster, urlPath: string): Promise<{ status: number; body: string }> {
  const pod = await cluster.relayPod();
  const target = cluster.runtime.resolvePodPort(namespace, pod.metadata.name, 8080);
  if (!target) throw new Error('the relay pod does not listen on 8080');
  return httpGet(target.host, target.port, urlPath);
}

/** A process Deployment "backend" answering HTTP on 9000 behind Service "backend" port 80. */
export async function deployBackend(cluster: TunnelCluster): Promise<void> {
  await cluster.client.request({
    what: 'create backend script',
    method: 'POST',
    path: `/api/v1/namespaces/${namespace}/configmaps`,
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'backend' }, data: { 'main.js': "require('node:http').createServer((q, s) => s.end('backend ' + q.url)).listen(9000);" } },
  });
  for (const [path, body] of [
    [
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'backend' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'backend' } },
          template: {
            metadata: { labels: { app: 'backend' } },
            spec: {
              containers: [{ name: 'app', image: 'node:22-alpine', command: ['node', '/opt/app/main.js'], ports: [{ containerPort: 9000 }], volumeMounts: [{ name: 'app', mountPath: '/opt/app' }] }],
              volumes: [{ name: 'app', configMap: { name: 'backend' } }],
            },
          },
        },
      },
    ],
    [`/api/v1/namespaces/${namespace}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'backend' }, spec: { selector: { app: 'backend' }, ports: [{ port: 80, targetPort: 9000 }] } }],
  ] as const) {
    await cluster.client.request({ what: 'create backend', method: 'POST', path, body });
  }
}
