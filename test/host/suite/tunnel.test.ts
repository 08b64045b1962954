import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { TunnelSnapshot } from '../../../src/ui/tunnel/tunnelSnapshot';
import type { StartTunnelArgs } from '../../../src/ui/tunnel/tunnelArgs';
import { clusterRest } from './clusterRest';
import { tetherApi } from './extension';
import { eventually, rowAt, type Row } from './clusterRows';
import { simContext } from './simContext';
import { until } from './until';

const namespace = 'shop';

/** The status bar text of the connected tunnel with no connection open: bytes and round trip. */
function connectedIdle(localPort: number): RegExp {
  return new RegExp(`^\\$\\(plug\\) web → :${localPort} · 0 conn · \\d+(\\.\\d)? (B|KB)( · [\\d.]+ ms)?$`);
}

interface Listed {
  items: Array<{ metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown; status?: { phase?: string } }>;
}

/** What a tunnel must never change: the baseline Deployment's and Service's spec and metadata. */
async function baseline(workload: string): Promise<string> {
  const rest = clusterRest();
  const parts: unknown[] = [];
  for (const path of [`/apis/apps/v1/namespaces/${namespace}/deployments/${workload}`, `/api/v1/namespaces/${namespace}/services/${workload}`]) {
    const { status, body } = await rest.call<Listed['items'][number]>('GET', path);
    assert.equal(status, 200, `GET ${path}`);
    parts.push({ labels: body.metadata.labels, annotations: body.metadata.annotations, spec: body.spec });
  }
  return JSON.stringify(parts);
}

/**
 * A one-shot process pod `caller` (and its ConfigMap) in the cluster that calls `http://<service>:<port><path>` and logs the
 * answer; it succeeds only on HTTP 200 within 10 s.
 */
async function runCaller(caller: string, service: string, port: number, path: string): Promise<{ phase: string; log: string }> {
  const rest = clusterRest();
  const script = [
    "const http = require('node:http');",
    `http.get({ host: ${JSON.stringify(service)}, port: ${port}, path: ${JSON.stringify(path)}, agent: false }, (res) => {`,
    "  let body = ''; res.setEncoding('utf8'); res.on('data', (c) => (body += c));",
    "  res.on('end', () => { console.log('HTTP ' + res.statusCode + ': ' + body); process.exit(res.statusCode === 200 ? 0 : 1); });",
    "}).on('error', (err) => { console.log('request failed: ' + err.message); process.exit(1); })",
    "  .setTimeout(10000, function () { this.destroy(new Error('no answer within 10 s')); });",
  ].join('\n');
  const cm = await rest.call('POST', `/api/v1/namespaces/${namespace}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: caller }, data: { 'main.js': script } });
  assert.equal(cm.status, 201, `creating ConfigMap ${caller}: ${JSON.stringify(cm.body)}`);
  const pod = await rest.call('POST', `/api/v1/namespaces/${namespace}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: caller, labels: { 'app.kubernetes.io/name': 'host-test' } },
    spec: {
      restartPolicy: 'Never',
      containers: [{ name: 'main', image: 'node:22-alpine', command: ['node', '/opt/caller/main.js'], volumeMounts: [{ name: 'script', mountPath: '/opt/caller' }] }],
      volumes: [{ name: 'script', configMap: { name: caller } }],
    },
  });
  assert.equal(pod.status, 201, `creating pod ${caller}: ${JSON.stringify(pod.body)}`);
  const phase = await until(`pod ${caller} to finish`, async () => {
    const { body } = await rest.call<Listed['items'][number]>('GET', `/api/v1/namespaces/${namespace}/pods/${caller}`);
    const p = body.status?.phase;
    return p === 'Succeeded' || p === 'Failed' ? p : undefined;
  }, 30_000);
  const { text } = await rest.text(`/api/v1/namespaces/${namespace}/pods/${caller}/log`);
  return { phase, log: text.trim() };
}

async function removeCallers(callers: string[]): Promise<void> {
  const rest = clusterRest();
  for (const caller of callers) {
    await rest.call('DELETE', `/api/v1/namespaces/${namespace}/pods/${caller}?gracePeriodSeconds=0`);
    await rest.call('DELETE', `/api/v1/namespaces/${namespace}/configmaps/${caller}`);
  }
}

/** Through the REST API: nothing labelled for the tunnel `relay` remains in the namespace. */
async function assertNoRelayObjects(relay: string): Promise<void> {
  const rest = clusterRest();
  const selector = encodeURIComponent(`app.kubernetes.io/managed-by=tether,tether.dev/tunnel=${relay}`);
  const list = async (group: string, plural: string) => (await rest.call<Listed>('GET', `/${group}/namespaces/${namespace}/${plural}?labelSelector=${selector}`)).body.items.map((i) => i.metadata.name);
  for (const [group, plural] of [['api/v1', 'services'], ['apis/apps/v1', 'deployments'], ['api/v1', 'secrets'], ['api/v1', 'configmaps']]) {
    assert.deepEqual(await list(group, plural), [], `${plural} labelled for ${relay}`);
  }
  // Deleted by the garbage collector after their Deployment.
  for (const [group, plural] of [['apis/apps/v1', 'replicasets'], ['api/v1', 'pods']]) {
    await until(`${plural} of ${relay} to be gone`, async () => ((await list(group, plural)).length === 0 ? true : undefined));
  }
}

/** A local HTTP server standing in for the developer's process; `hits` are the paths it served. */
async function localServer(): Promise<{ server: Server; port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end(`from this computer ${req.url}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, hits };
}

function closeServer(server: Server): void {
  server.closeAllConnections();
  server.close();
}

async function startTunnel(args: Omit<StartTunnelArgs, 'context' | 'namespace'>): Promise<TunnelSnapshot> {
  const started = await vscode.commands.executeCommand<TunnelSnapshot | undefined>('tether.startTunnel', { context: simContext(), namespace, ...args } satisfies StartTunnelArgs);
  assert.ok(started, 'Tunnel Workload to Local Port returned no tunnel (see the error notification in the log)');
  return started;
}

/** The Cluster view's row of Deployment `workload` once `ok` holds for it. */
async function workloadRow(workload: string, what: string, ok: (row: Row) => boolean): Promise<Row> {
  const api = await tetherApi();
  return eventually(api, what, async () => {
    const row = await rowAt(api, [simContext(), namespace, workload]);
    return ok(row) ? row : undefined;
  });
}

describe('the tunnel', () => {
  const relay = 'tether-relay-web';
  let local: Server;
  let localPort = 0;
  let hits: string[] = [];
  const callers = ['tunnel-caller-1', 'tunnel-caller-2'];
  let started: TunnelSnapshot | undefined;
  let baselineBefore = '';

  before(async () => {
    ({ server: local, port: localPort, hits } = await localServer());
    await tetherApi();
    await vscode.commands.executeCommand('tether.selectContext', simContext());
    baselineBefore = await baseline('web');
  });

  after(async () => {
    if (started) await vscode.commands.executeCommand('tether.stopTunnel', started.key);
    await removeCallers(callers);
    closeServer(local);
  });

  it('Tunnel Workload to Local Port with its arguments connects without asking and shows the tunnel in the status bar', async () => {
    started = await startTunnel({ workload: { kind: 'Deployment', name: 'web' }, localPort });
    assert.equal(started.state.phase, 'connected');
    assert.equal(started.service, relay);
    assert.deepEqual(started.servicePorts, [80], 'the relay Service mirrors Service "web" (port 80 -> 8080)');
    assert.equal(started.joinedService, undefined, 'Service "web" is joined only on request');
    assert.match(started.statusText, connectedIdle(localPort));
    const listed = (await tetherApi()).tunnels();
    assert.deepEqual(listed.map((t) => [t.key, t.state.phase]), [[started.key, 'connected']]);
  });

  it("the workload's row in the Cluster view shows the tunnel and offers Stop Tunnel", async () => {
    const row = await workloadRow('web', 'the web row to show its tunnel', (r) => r.description.includes(`⇄ tunnel → :${localPort}`));
    assert.equal(row.contextValue, 'tether.deployment.tunnel', 'the context menu offers Stop Tunnel, not a second tunnel');
    assert.match(row.tooltip, new RegExp(`tunnels to 127\\.0\\.0\\.1:${localPort}`));
  });

  it('an in-cluster caller of the relay Service lands on the local server; the status bar counts it', async () => {
    const answer = await runCaller(callers[0], relay, 80, '/from-cluster?caller=pod');
    assert.equal(answer.log, 'HTTP 200: from this computer /from-cluster?caller=pod');
    assert.equal(answer.phase, 'Succeeded');
    assert.deepEqual(hits, ['/from-cluster?caller=pod']);
    const api = await tetherApi();
    const counted = await until('the tunnel to count the served connection', async () => {
      const [tunnel] = api.tunnels();
      return tunnel?.stats.inboundServed === 1 && tunnel.stats.liveConnections === 0 ? tunnel : undefined;
    });
    assert.equal(counted.state.phase, 'connected');
    assert.equal(counted.stats.inboundRefused, 0);
    assert.ok(counted.stats.bytesIn > 0 && counted.stats.bytesOut > 0, JSON.stringify(counted.stats));
    assert.match(counted.statusText, connectedIdle(localPort));
  });

  it('Stop Tunnel (from the workload row) removes every relay object from the cluster and leaves the baseline as it was', async () => {
    const running = await workloadRow('web', 'the web row with its tunnel', (r) => r.contextValue === 'tether.deployment.tunnel');
    await vscode.commands.executeCommand('tether.stopTunnel', running.node);
    started = undefined;
    const api = await tetherApi();
    assert.deepEqual(api.tunnels(), []);
    const idle = await workloadRow('web', 'the web row without a tunnel', (r) => r.contextValue === 'tether.deployment');
    assert.doesNotMatch(idle.description, /tunnel/);
    await assertNoRelayObjects(relay);
    assert.equal(await baseline('web'), baselineBefore, 'Deployment and Service "web" are unchanged');
    const after = await runCaller(callers[1], relay, 80, '/after-stop');
    assert.equal(after.phase, 'Failed', `the relay Service is gone, yet the caller got: ${after.log}`);
    assert.deepEqual(hits, ['/from-cluster?caller=pod']);
  });
});

describe('the tunnel joining the workload\'s own Service', () => {
  // Service "api" selects the demo's api pods, which the simulator does not run as processes: in
  // a cluster they would take their share of the connections; here the relay is the one endpoint
  // that answers, so every connection to "api" must land on this computer.
  const relay = 'tether-relay-api';
  const callers = ['tunnel-join-caller-1', 'tunnel-join-caller-2'];
  let local: Server;
  let localPort = 0;
  let hits: string[] = [];
  let started: TunnelSnapshot | undefined;
  let baselineBefore = '';

  before(async () => {
    ({ server: local, port: localPort, hits } = await localServer());
    await vscode.commands.executeCommand('tether.selectContext', simContext());
    baselineBefore = await baseline('api');
  });

  after(async () => {
    if (started) await vscode.commands.executeCommand('tether.stopTunnel', started.key);
    await removeCallers(callers);
    closeServer(local);
  });

  it('a caller of the workload\'s unchanged Service reaches the local server through the relay endpoint', async () => {
    started = await startTunnel({ workload: { kind: 'Deployment', name: 'api' }, localPort, joinWorkloadService: true });
    assert.equal(started.joinedService, 'api');
    assert.equal(started.service, relay);
    const answer = await runCaller(callers[0], 'api', 80, '/products');
    assert.equal(answer.log, 'HTTP 200: from this computer /products');
    assert.deepEqual(hits, ['/products']);
    assert.equal(await baseline('api'), baselineBefore, 'Deployment and Service "api" are unchanged');
  });

  it('after Stop Tunnel the Service has its own endpoints only and no relay object remains', async () => {
    await vscode.commands.executeCommand('tether.stopTunnel', started!.key);
    started = undefined;
    await assertNoRelayObjects(relay);
    const after = await runCaller(callers[1], 'api', 80, '/after-stop');
    assert.equal(after.phase, 'Failed', `no relay endpoint is left, yet the caller got: ${after.log}`);
    assert.deepEqual(hits, ['/products']);
  });
});
