/**
 * The agent's health endpoint: `GET /healthz` on 127.0.0.1 answers 200 once every listener of the
 * agent is up. The pod's readiness probe asks it (relay.ts healthProbeScript), so the probe never
 * knocks on the control port, where a connection that leaves without a hello is logged as a
 * rejected extension. Probes are not logged.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AGENT_VERSION } from './config';

export const healthPath = '/healthz';

export interface HealthEndpoint {
  readonly port: number;
  close(): Promise<void>;
}

export async function startHealth(host: string, port: number): Promise<HealthEndpoint> {
  const server: Server = createServer((req, res) => {
    const known = req.url === healthPath && (req.method === 'GET' || req.method === 'HEAD');
    res.writeHead(known ? 200 : 404, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
    res.end(known ? `ok ${AGENT_VERSION}\n` : 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`The relay agent cannot listen on ${host}:${port} (health port): ${err.code ?? err.message}. Another process may hold the port.`)),
    );
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
