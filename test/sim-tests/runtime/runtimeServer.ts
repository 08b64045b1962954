/**
 * A bare node:http server in front of a PodRuntime, routing `pods/NAME/log` requests and
 * `pods/NAME/portforward` upgrades the way the API server does (without authn/authz).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../../../src/kube/types';
import type { PodRuntime, SimCluster, SubresourceRequest } from '../../sim/contracts';

const route = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(log|portforward)$/;

function match(cluster: SimCluster, req: IncomingMessage, latencyMs?: () => number): { request?: SubresourceRequest; sub?: string } {
  const url = new URL(req.url ?? '/', 'http://runtime.test');
  const m = route.exec(url.pathname);
  if (!m) return {};
  const pod: KubeObject | undefined = cluster.get('Pod', m[1], m[2]);
  return { request: pod && { namespace: m[1], pod, req, url, ...(latencyMs ? { latencyMs } : {}) }, sub: m[3] };
}

export interface RuntimeServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** `latencyMs`: the latency port-forwards delay the pod's messages by, as the API server's injected one. */
export async function startRuntimeServer(cluster: SimCluster, runtime: PodRuntime, latencyMs?: () => number): Promise<RuntimeServer> {
  const server = createServer((req, res) => {
    const { request, sub } = match(cluster, req);
    if (request && sub === 'log') return runtime.serveLog(request, res);
    res.writeHead(404).end();
  });
  server.on('upgrade', (req, socket, head) => {
    const { request, sub } = match(cluster, req, latencyMs);
    if (request && sub === 'portforward') return runtime.servePortForward(request, socket, head);
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** GET pods/NAME/log with the given query; resolves with the status and the whole body. */
export async function getLog(server: RuntimeServer, namespace: string, pod: string, query = ''): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/namespaces/${namespace}/pods/${pod}/log${query ? `?${query}` : ''}`);
  return { status: res.status, body: await res.text() };
}
