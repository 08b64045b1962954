/**
 * The request side of pods/portforward over WebSocket: subprotocol negotiation, the `ports`
 * parameter, refusals written as the API server's Status bodies, and the kubelet's error text for
 * a port nothing listens on.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { badRequest, type Status } from '../status';

export const portForwardProtocol = 'v4.channel.k8s.io';

export type PortForwardParse = { ok: true; ports: number[] } | { ok: false; status: Status };

function requestedProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** Validates an upgrade to pods/portforward; on success returns the ports in request order. */
export function parsePortForward(req: IncomingMessage, url: URL): PortForwardParse {
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
    return { ok: false, status: badRequest('unable to upgrade connection: only WebSocket upgrades with the v4.channel.k8s.io protocol are supported').status };
  }
  const protocols = requestedProtocols(req);
  if (!protocols.includes(portForwardProtocol)) {
    return {
      ok: false,
      status: badRequest(`unable to upgrade connection: requested protocol(s) are not supported: [${protocols.join(' ')}]; supported protocols are [${portForwardProtocol}]`).status,
    };
  }
  const raw = url.searchParams.getAll('ports').flatMap((p) => p.split(',')).map((p) => p.trim()).filter((p) => p.length > 0);
  if (raw.length === 0) return { ok: false, status: badRequest('query parameter "port" is required').status };
  const ports: number[] = [];
  for (const value of raw) {
    const port = Number(value);
    if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
      return { ok: false, status: badRequest(`unable to parse "${value}" as a port: port must be > 0 and <= 65535`).status };
    }
    ports.push(port);
  }
  return { ok: true, ports };
}

/** Answers a refused upgrade with a Status body and closes the connection. */
export function refuseUpgrade(socket: Duplex, status: Status): void {
  const body = JSON.stringify(status);
  const reason = status.code === 400 ? 'Bad Request' : 'Error';
  socket.end(
    `HTTP/1.1 ${status.code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The pod sandbox id a container runtime would show for this pod uid. */
function sandboxId(uid: string): string {
  return createHash('sha256').update(`sandbox:${uid}`).digest('hex');
}

function netnsName(uid: string): string {
  const h = createHash('sha256').update(`netns:${uid}`).digest('hex');
  return `cni-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** What the kubelet writes on the error channel when nothing listens on the port inside the pod. */
export function connectionRefusedMessage(port: number, uid: string): string {
  const id = sandboxId(uid);
  return (
    `error forwarding port ${port} to pod ${id}, uid : failed to execute portforward in network namespace ` +
    `"/var/run/netns/${netnsName(uid)}": failed to connect to localhost:${port} inside namespace "${id}", ` +
    `IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6: address localhost: no suitable address found `
  );
}

/** What the kubelet writes on the error channel when the forwarded connection fails mid-stream. */
export function forwardFailedMessage(port: number, uid: string, cause: string): string {
  return `error forwarding port ${port} to pod ${sandboxId(uid)}, uid : ${cause}`;
}
