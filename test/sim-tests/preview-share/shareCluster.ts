/**
 * A simulated cluster for shareable-preview tests: the simulator with the process runtime (relay
 * and gate run as real processes), its ingress controller on a local port, the sample's shop/api
 * as the baseline, a local HTTP server standing in for the developer's process, and a PreviewLoop.
 * `visit` sends a request to the ingress controller with the sandbox's Host header.
 */
import { readFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { parseAllDocuments } from 'yaml';
import { KubeClient } from '../../../src/kube/api';
import { systemClock } from '../../../src/kube/clock';
import { loadKubeconfig } from '../../../src/kube/config';
import { PreviewLoop, type PreviewRequest } from '../../../src/sandbox/preview/previewLoop';
import type { PreviewHostSettings } from '../../../src/sandbox/preview/previewHost';
import type { SandboxSpec } from '../../../src/sandbox/spec';
import type { ObjectInput } from '../../sim/defaults';
import { createPodRuntime, type ProcessPodRuntime } from '../../sim/runtime/index';
import { startIngressController, type IngressController } from '../../sim/runtime/ingressController';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../sim/server';
import { agentScript } from '../tunnel/sessionCluster';

export interface Visit {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ShareCluster {
  sim: Simulator;
  loop: PreviewLoop;
  /** The loop's time: the moment the fixture was made, standing still (links are signed at it). */
  now: number;
  client: KubeClient;
  /** A client for a configured user. */
  clientOf(user: string): KubeClient;
  ingress: IngressController;
  localPort: number;
  request(spec: SandboxSpec, share: PreviewHostSettings): PreviewRequest;
  /** One request through the ingress controller as a browser at `url` would send it. */
  visit(url: string, headers?: Record<string, string>): Promise<Visit>;
  /** An upgraded connection through the ingress controller: the answer's head and the echo of "ping". */
  upgrade(url: string, headers?: Record<string, string>): Promise<string>;
  /** Visits until the answer is no longer the controller's 503 (the gate's pod is starting). */
  visitWhenRouted(url: string, headers?: Record<string, string>): Promise<Visit>;
}

export const shareSettings = (overrides: Partial<PreviewHostSettings> = {}): PreviewHostSettings => ({ domain: 'preview.test', scheme: 'http', linkTtlHours: 24, ...overrides });

export async function shareCluster(t: { after(fn: () => unknown): void }, options: { users?: SimulatorOptions['users'] } = {}): Promise<ShareCluster> {
  const access: { sim?: Simulator } = {};
  let runtime: ProcessPodRuntime | undefined;
  const sim = await startSimulator({
    controllers: true,
    users: options.users,
    runtime: (cluster) => (runtime = createPodRuntime(cluster, { apiServer: (pod) => access.sim?.inClusterAccess(pod), backoff: { baseMs: 100, maxMs: 200 } })),
    timings: { reconcileMs: 5, scheduleMs: 10, startMs: 20, readyMs: 20, terminateMs: 20 },
  });
  access.sim = sim;
  sim.seed([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
      status: { allocatable: { cpu: '8', memory: '16Gi', pods: '110' }, capacity: { cpu: '8', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
    },
  ]);
  for (const doc of parseAllDocuments(readFileSync(join(__dirname, '../../../sample/k8s/api.yaml'), 'utf8'))) sim.apply(doc.toJS() as ObjectInput);
  const ingress = await startIngressController({ cluster: sim.cluster, resolvePodPort: (ns, pod, port) => runtime?.resolvePodPort(ns, pod, port) });

  const local: Server = createServer((req, res) => res.end(`local v1 ${req.url} cookie=${req.headers.cookie ?? ''}`));
  // An echo over an upgraded connection, standing in for the app's WebSocket.
  const upgraded = new Set<Duplex>();
  local.on('upgrade', (req, socket: Duplex) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\nupgrade: ${req.headers.upgrade}\r\n\r\n`);
    socket.on('data', (d: Buffer) => socket.write(`echo ${req.url} ${d.toString()}`));
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  const kubeconfig = loadKubeconfig({ KUBECONFIG: sim.kubeconfigPath });
  const client = KubeClient.forContext(kubeconfig, sim.context);
  // Links are signed at a time that stands still, so their expiry is exact; it is now enough for the gate's own clock.
  const now = Date.now();
  const loop = new PreviewLoop({ openClient: (context) => KubeClient.forContext(kubeconfig, context), tunnel: { backoff: { initialMs: 100, maxMs: 500 } }, heartbeat: { intervalMs: 300 }, clock: { ...systemClock, now: () => now } });
  t.after(async () => {
    loop.dispose();
    client.dispose();
    await ingress.stop();
    local.closeAllConnections();
    for (const s of upgraded) s.destroy();
    await new Promise((resolve) => local.close(resolve));
    await sim.stop();
  });
  const agent = await agentScript();
  const visit = (url: string, headers: Record<string, string> = {}) =>
    new Promise<Visit>((resolve, reject) => {
      const target = new URL(url);
      const req = request({ host: '127.0.0.1', port: ingress.port, path: `${target.pathname}${target.search}`, headers: { host: target.host, ...headers }, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  return {
    sim,
    loop,
    now,
    client,
    clientOf: (user) => {
      const c = KubeClient.forContext(kubeconfig, sim.contextOf(user));
      t.after(() => c.dispose());
      return c;
    },
    ingress,
    localPort: (local.address() as AddressInfo).port,
    request: (spec, share) => ({ context: sim.context, spec, developer: 'jane', branch: 'main', holderIdentity: 'jane@laptop', agentScript: async () => agent, healthTimeoutMs: 20_000, share }),
    visit,
    upgrade: (url, headers = {}) =>
      new Promise<string>((resolve, reject) => {
        const target = new URL(url);
        const socket = connect(ingress.port, '127.0.0.1');
        let text = '';
        const timer = setTimeout(() => socket.destroy(), 10_000);
        socket.setEncoding('utf8');
        socket.on('data', (d: string) => {
          text += d;
          if (text.startsWith('HTTP/1.1 101') && text.includes('\r\n\r\n') && !text.includes('echo')) socket.write('ping');
          if (text.includes('echo') || (text.includes('\r\n\r\n') && !text.startsWith('HTTP/1.1 101'))) socket.destroy();
        });
        socket.on('close', () => {
          clearTimeout(timer);
          resolve(text);
        });
        socket.on('error', reject);
        const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
        socket.write(`GET ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\nconnection: Upgrade\r\nupgrade: websocket\r\n${extra}\r\n`);
      }),
    async visitWhenRouted(url, headers) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const answer = await visit(url, headers).catch(() => undefined);
        if (answer && answer.status !== 503) return answer;
        if (Date.now() > deadline) throw new Error(`the ingress controller never routed ${url}: ${answer?.body ?? 'no answer'}; routes: ${ingress.log.slice(-3).join('; ')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
