/**
 * The cluster under test set up for preview tests: the sample workspace's shop/api as the baseline
 * in the fixture's throwaway namespace, a local HTTP server standing in for the developer's
 * process, and a PreviewLoop that opens clients to the cluster. Previews are made for a developer
 * unique to the run, so their sandboxes never meet another run's and cleanup finds them by label.
 */
import { createServer, get, type Server } from 'node:http';
import { delimiter } from 'node:path';
import type { AddressInfo } from 'node:net';
import { KubeClient } from '../../../src/kube/api';
import { loadKubeconfig } from '../../../src/kube/config';
import { sandboxName } from '../../../src/sandbox/names';
import { PreviewLoop, type PreviewLoopOptions, type PreviewRequest } from '../../../src/sandbox/preview/previewLoop';
import type { SandboxSpec } from '../../../src/sandbox/spec';
import type { PolicyRule } from '../../../src/kube/role';
import { clusterFor, type ClusterOptions, type ClusterUnderTest, type TestHandle } from '../../cluster/clusterUnderTest';
import { withServiceAccount, type ServiceAccountAccess, type ServiceAccountOptions } from '../../cluster/serviceAccount';
import { agentScript } from '../tunnel/sessionCluster';
import { sampleApiFor } from './previewBaseline';

export interface PreviewCluster {
  cluster: ClusterUnderTest;
  loop: PreviewLoop;
  /** Admin client of the cluster under test. */
  client: KubeClient;
  /** The admin context previews are requested in. */
  context: string;
  /** A developer with `rules` in the baseline namespace (and nothing cluster-wide), whose context the loop can open. */
  developerWith(rules: readonly PolicyRule[], options?: ServiceAccountOptions): Promise<ServiceAccountAccess>;
  /** The baseline namespace: the fixture's, holding the sample's api. */
  shop: string;
  /** The port the baseline api's container listens on. */
  apiPort: number;
  /** Who the previews are for: `jane-test<run>`. */
  developer: string;
  /** The developer's sandbox for branch main. */
  sandbox: string;
  localPort: number;
  /** What the local process answers; change it to see the change through the preview. */
  reply: { text: string; status: number };
  hits: string[];
  /** The sample's tether.yaml as Create Sandbox proposes it, baseline `shop`, its api forked to `localPort`. */
  localSpec(localPort?: number): SandboxSpec;
  request(spec: SandboxSpec, overrides?: Partial<PreviewRequest>): PreviewRequest;
  /**
   * The health timeout of a preview that is meant to fail: `simulatorMs` on the simulator. On a real
   * cluster the same wait also covers the relay pod's start, so it is long enough for that, and
   * the relay image is pulled first.
   */
  failingHealthTimeout(simulatorMs: number): Promise<number>;
}

/** How long a relay pod whose image is already on the node may take to start and connect. */
const realRelayStartMs = 30_000;

/** A pod of the relay image in the baseline namespace, so the relay pods that follow start without a pull. */
async function pullRelayImage(cluster: ClusterUnderTest): Promise<void> {
  await cluster.apply({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'relay-image', namespace: cluster.namespace, labels: { app: 'relay-image' } },
    spec: { containers: [{ name: 'idle', image: cluster.images.relay, command: ['node', '-e', 'setInterval(() => {}, 1 << 30)'] }] },
  });
  await cluster.waitForPodReady('app=relay-image');
}

/**
 * `options.timings: 'simulator'` gives the simulator's own timings (as the demo runs) instead of
 * the tests' short ones; `loopOptions` go to the PreviewLoop.
 */
export async function previewCluster(t: Pick<TestHandle, 'after'>, suite: string, options: ClusterOptions = {}, loopOptions: Partial<PreviewLoopOptions> = {}): Promise<PreviewCluster> {
  const reply = { text: 'local v1', status: 200 };
  const hits: string[] = [];
  const local: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.statusCode = reply.status;
    res.end(`${reply.text} ${req.url}`);
  });
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  const localPort = (local.address() as AddressInfo).port;
  const running: { loop?: PreviewLoop } = {};
  // Registered before the fixture's, so tunnels and heartbeats stop before the namespaces go.
  t.after(async () => {
    running.loop?.dispose();
    local.closeAllConnections();
    await new Promise((resolve) => local.close(resolve));
  });

  const cluster = await clusterFor(t, suite, options);
  const api = sampleApiFor(cluster);
  for (const object of api.objects) await cluster.apply(object);
  await cluster.waitForPodReady('app=api');

  // The cluster's kubeconfig and those of the developers the test adds, merged as KUBECONFIG merges them.
  const kubeconfigs = [cluster.kubeconfigPath];
  const loop = (running.loop = new PreviewLoop({
    openClient: (context) => KubeClient.forContext(loadKubeconfig({ KUBECONFIG: kubeconfigs.join(delimiter) }), context),
    tunnel: { backoff: { initialMs: 100, maxMs: 500 } },
    heartbeat: { intervalMs: 300 },
    ...loopOptions,
  }));
  const agent = await agentScript();
  const developer = cluster.developer('jane');
  const shop = cluster.namespace;
  let relayImagePulled: Promise<void> | undefined;
  return {
    cluster,
    loop,
    client: cluster.client(),
    context: cluster.context,
    developerWith: async (rules, developerOptions) => {
      const developer = await withServiceAccount(cluster, shop, rules, developerOptions);
      kubeconfigs.push(developer.kubeconfigPath);
      return developer;
    },
    shop,
    apiPort: api.port,
    developer,
    sandbox: sandboxName(developer, 'main'),
    localPort,
    reply,
    hits,
    localSpec: (port = localPort) => ({
      name: 'sample',
      baseline: { namespace: shop },
      ttlSeconds: 7200,
      forks: [{ workload: { kind: 'Deployment', name: 'api' }, mode: 'local', env: {}, ports: [{ port: api.port, localPort: port }] }],
      preview: { service: 'api', port: 80, path: '/products' },
      checks: [],
    }),
    request: (spec, overrides = {}) => ({
      context: cluster.context,
      spec,
      developer,
      branch: 'main',
      holderIdentity: 'jane@laptop',
      agentScript: async () => agent,
      relayImage: cluster.images.relay,
      healthTimeoutMs: cluster.timeouts.podReadyMs,
      ...overrides,
    }),
    failingHealthTimeout: async (simulatorMs) => {
      if (cluster.kind === 'simulator') return simulatorMs;
      await (relayImagePulled ??= pullRelayImage(cluster));
      return realRelayStartMs;
    },
  };
}

/** One GET without keep-alive: a new connection, as a browser's first request on it. */
export function fetchText(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    }).on('error', reject);
  });
}
