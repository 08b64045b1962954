/**
 * A simulated cluster for preview tests: the simulator with the process runtime (the relay agent
 * runs as a real process), one node, the sample workspace's shop/api as the baseline, a local HTTP
 * server standing in for the developer's process, and a PreviewLoop that opens clients to it.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubeClient } from '../../../src/kube/api';
import { loadKubeconfig } from '../../../src/kube/config';
import { PreviewLoop, type PreviewRequest } from '../../../src/sandbox/previewLoop';
import type { SandboxSpec } from '../../../src/sandbox/spec';
import type { ObjectInput } from '../../sim/defaults';
import { createPodRuntime, type ApiServerAccess } from '../../sim/runtime/index';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../sim/server';
import { agentScript } from '../tunnel/sessionCluster';

export const sampleDir = join(__dirname, '../../../sample');

export interface PreviewCluster {
  sim: Simulator;
  loop: PreviewLoop;
  client: KubeClient;
  localPort: number;
  /** What the local process answers; change it to see the change through the preview. */
  reply: { text: string; status: number };
  hits: string[];
  request(spec: SandboxSpec, overrides?: Partial<PreviewRequest>): PreviewRequest;
}

/** The sample's tether.yaml as Create Sandbox proposes it, with the local port of this test's server. */
export function localSpec(localPort: number): SandboxSpec {
  return {
    name: 'sample',
    baseline: { namespace: 'shop' },
    ttlSeconds: 7200,
    forks: [{ workload: { kind: 'Deployment', name: 'api' }, mode: 'local', env: {}, ports: [{ port: 3000, localPort }] }],
    preview: { service: 'api', port: 80, path: '/products' },
    checks: [],
  };
}

/** `timings` default to short ones for tests; `{}` gives the simulator's own (as the demo runs). */
export async function previewCluster(t: { after(fn: () => unknown): void }, options: { timings?: SimulatorOptions['timings']; users?: SimulatorOptions['users'] } = {}): Promise<PreviewCluster> {
  const access: { apiServer?: ApiServerAccess } = {};
  const sim = await startSimulator({
    controllers: true,
    users: options.users,
    runtime: (cluster) => createPodRuntime(cluster, { apiServer: () => access.apiServer, backoff: { baseMs: 100, maxMs: 200 } }),
    timings: options.timings ?? { reconcileMs: 5, scheduleMs: 10, startMs: 20, readyMs: 20, terminateMs: 20 },
  });
  access.apiServer = { host: '127.0.0.1', port: sim.port, caPem: sim.caPem, token: sim.token };
  sim.seed([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
      status: { allocatable: { cpu: '8', memory: '16Gi', pods: '110' }, capacity: { cpu: '8', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
    },
  ]);
  for (const doc of parseAllDocuments(readFileSync(join(sampleDir, 'k8s', 'api.yaml'), 'utf8'))) sim.apply(doc.toJS() as ObjectInput);

  const reply = { text: 'local v1', status: 200 };
  const hits: string[] = [];
  const local: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.statusCode = reply.status;
    res.end(`${reply.text} ${req.url}`);
  });
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  const localPort = (local.address() as AddressInfo).port;
  const kubeconfig = loadKubeconfig({ KUBECONFIG: sim.kubeconfigPath });
  const client = KubeClient.forContext(kubeconfig, sim.context);
  const loop = new PreviewLoop({
    openClient: (context) => KubeClient.forContext(kubeconfig, context),
    tunnel: { backoff: { initialMs: 100, maxMs: 500 } },
    heartbeat: { intervalMs: 300 },
  });
  t.after(async () => {
    loop.dispose();
    client.dispose();
    local.closeAllConnections();
    await new Promise((resolve) => local.close(resolve));
    await sim.stop();
  });
  const agent = await agentScript();
  return {
    sim,
    loop,
    client,
    localPort,
    reply,
    hits,
    request: (spec, overrides = {}) => ({
      context: sim.context,
      spec,
      developer: 'jane',
      branch: 'main',
      holderIdentity: 'jane@laptop',
      agentScript: async () => agent,
      healthTimeoutMs: 20_000,
      ...overrides,
    }),
  };
}
