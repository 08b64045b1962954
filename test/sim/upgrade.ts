/**
 * Connection upgrades: `pods/NAME/portforward` (WebSocket, v4.channel.k8s.io) goes to the pod
 * runtime after authentication and authorization (`get` and `create` on pods/portforward), like
 * the API server proxying to the kubelet. Anything else is refused with a Status. Injected latency
 * delays the answer to the upgrade, and the runtime delays what the pod sends back by it too.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { attributesOf } from './authorizer';
import { requireAllowed, type RestContext } from './rest';
import { parseResourcePath } from './router';
import { ApiError, failure, unauthorized, type Status } from './status';

const reasons: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable' };

function refuse(socket: Socket, status: Status, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(status);
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status.code} ${reasons[status.code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`);
}

export async function handleUpgrade(ctx: RestContext, req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
  socket.on('error', () => socket.destroy());
  // The injected latency delays the upgrade's answer like any other (faults.ts).
  if (ctx.faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, ctx.faults.latencyMs));
  if (socket.destroyed) return;
  try {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const user = ctx.authenticator.authenticate(req.headers.authorization);
    if (!user) throw unauthorized();
    const injected = ctx.faults.takeServerError(url.pathname);
    if (injected) throw injected;
    const request = parseResourcePath(ctx.registry, url.pathname);
    if (!request || request.info.kind !== 'Pod' || !request.name || request.subresource !== 'portforward') {
      throw new ApiError(failure(404, 'NotFound', 'the server could not find the requested resource', {}));
    }
    const { info, namespace, name } = request;
    for (const verb of ['get', 'create']) requireAllowed(ctx, user, attributesOf(verb, request));
    const pod = ctx.api.get(info, namespace, name);
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    if (phase !== 'Running') {
      throw new ApiError(failure(400, 'BadRequest', `unable to upgrade connection: pod ${name} is not running (phase ${phase ?? 'unknown'})`));
    }
    ctx.runtime().servePortForward({ namespace: namespace ?? '', pod, req, url, latencyMs: () => ctx.faults.latencyMs }, socket, head);
  } catch (err) {
    if (err instanceof ApiError) refuse(socket, err.status, err.headers);
    else {
      ctx.log(`upgrade failed: ${String(err)}`);
      refuse(socket, failure(500, 'InternalError', 'Internal error occurred while upgrading the connection'));
    }
  }
}
