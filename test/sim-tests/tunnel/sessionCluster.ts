/**
 * The cluster under test with a deployed relay for session tests: the relay objects applied
 * through the API by a developer who holds only what the README says a tunnel needs, a local HTTP
 * server standing in for the developer's process, and helpers to wait for session states. With
 * `faults`, the developer reaches the API server through a fault proxy, with credentials that can
 * be revoked and renewed.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { relayAgentScript } from '../agentBundles';
import type { KubeClient } from '../../../src/kube/api';
import { kinds } from '../../../src/kube/kinds';
import { openPortForward } from '../../../src/kube/portforward';
import type { KubeObject } from '../../../src/kube/types';
import { defaultControlPort, relayObjects } from '../../../src/tunnel/relay';
import { deployRelay } from '../../../src/tunnel/relayDeploy';
import { relayName, relaySelector, selectorText } from '../../../src/tunnel/relayLabels';
import { TunnelSession, type TunnelSessionOptions, type TunnelState } from '../../../src/tunnel/session';
import { clusterFor, type ClusterUnderTest, type TestHandle } from '../../cluster/clusterUnderTest';
import { faultProxyFor, type FaultProxy } from '../../cluster/faultProxy';
import { withServiceAccount, type ServiceAccountAccess } from '../../cluster/serviceAccount';
import { tunnelRules } from '../../cluster/testRoles';

export const relay = relayName('web');
export const token = 'session-token-0123456789';

/** The relay agent bundled as the build bundles it into dist/relay-agent.js. */
export const agentScript = relayAgentScript;

export interface TunnelCluster {
  cluster: ClusterUnderTest;
  /** The fixture's namespace, where the relay runs. */
  namespace: string;
  /** The client the tunnel uses: the developer's. */
  client: KubeClient;
  /** Who the developer is: a ServiceAccount with `tunnelRules`. */
  developer: ServiceAccountAccess;
  /** Between the developer and the API server, with `faults`. */
  proxy?: FaultProxy;
  local: Server;
  localPort: number;
  /** Requests the local server saw. */
  hits: string[];
  session(overrides?: Partial<TunnelSessionOptions>): TunnelSession;
  /** The relay's current pod, waiting for one to exist. */
  relayPod(timeoutMs?: number): Promise<KubeObject>;
}

export async function tunnelCluster(t: TestHandle, suite: string, options: { faults?: boolean } = {}): Promise<TunnelCluster> {
  const hits: string[] = [];
  const local = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end(`local says hi to ${req.url}`);
  });
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  const localPort = (local.address() as AddressInfo).port;
  const sessions: TunnelSession[] = [];
  // Registered before the fixture's, so sessions end before the namespace goes.
  t.after(async () => {
    for (const s of sessions) s.dispose();
    local.closeAllConnections();
    await new Promise((resolve) => local.close(resolve));
  });
  const cluster = await clusterFor(t, suite);
  const namespace = cluster.namespace;
  const proxy = options.faults ? await faultProxyFor(cluster) : undefined;
  const developer = await withServiceAccount(cluster, namespace, tunnelRules, { via: proxy, renewable: options.faults });
  const client = developer.client();
  const objects = relayObjects({ name: relay, namespace, sandbox: 'jane-web', owner: 'jane', image: cluster.images.relay, agentScript: await agentScript(), token, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
  await deployRelay(client, objects);
  await cluster.waitForPodReady(selectorText(relaySelector(relay)));
  return {
    cluster,
    namespace,
    client,
    developer,
    proxy,
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
    relayPod(timeoutMs = cluster.timeouts.podReadyMs) {
      return cluster.until(async () => {
        const { items } = await client.list<KubeObject>(kinds.Pod, namespace, { labelSelector: selectorText(relaySelector(relay)) });
        return items.find((p) => !p.metadata.deletionTimestamp);
      }, 'a relay pod', timeoutMs);
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
export function httpGet(host: string, port: number, urlPath: string, timeoutMs = 5000, connection?: () => Duplex): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // Node ignores `createConnection` when `agent: false` is given (it makes a fresh Agent that dials
    // host:port itself), so a fresh agent is asked for only when there is no connection to use.
    const via = connection ? { createConnection: connection } : { agent: false as const };
    const req = request({ host, port, path: urlPath, timeout: timeoutMs, ...via }, (res) => {
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

/**
 * A caller of the relay pod's data port: on the simulator an in-cluster caller, where the runtime
 * really listens; on a real cluster a port-forward to the pod's port 8080.
 */
export async function callRelay(tunnel: TunnelCluster, urlPath: string): Promise<{ status: number; body: string }> {
  const pod = await tunnel.relayPod();
  if (tunnel.cluster.kind === 'simulator') {
    const target = tunnel.cluster.podRuntime().resolvePodPort(tunnel.namespace, pod.metadata.name, 8080);
    if (!target) throw new Error('the relay pod does not listen on 8080');
    return httpGet(target.host, target.port, urlPath);
  }
  const stream = await openPortForward(tunnel.cluster.client(), tunnel.namespace, pod.metadata.name, 8080);
  try {
    return await httpGet('relay', 8080, urlPath, 15_000, () => stream);
  } finally {
    stream.destroy();
  }
}

/** A Deployment "backend" answering HTTP on 9000 behind Service "backend" port 80 (node in the relay image). */
export async function deployBackend(tunnel: TunnelCluster): Promise<void> {
  const { cluster, namespace } = tunnel;
  await cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'backend', namespace }, data: { 'main.js': "require('node:http').createServer((q, s) => s.end('backend ' + q.url)).listen(9000);" } });
  await cluster.apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'backend', namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'backend' } },
      template: {
        metadata: { labels: { app: 'backend' } },
        spec: {
          containers: [{ name: 'app', image: cluster.images.relay, command: ['node', '/opt/app/main.js'], ports: [{ containerPort: 9000 }], volumeMounts: [{ name: 'app', mountPath: '/opt/app' }] }],
          volumes: [{ name: 'app', configMap: { name: 'backend' } }],
        },
      },
    },
  });
  await cluster.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'backend', namespace }, spec: { selector: { app: 'backend' }, ports: [{ port: 80, targetPort: 9000 }] } });
  await cluster.waitForPodReady('app=backend', namespace);
}
