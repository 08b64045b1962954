/**
 * The relay's preview gate: an HTTP listener behind the sandbox's Ingress or HTTPRoute that lets
 * through only visitors holding a valid signed link (previewGateRules.ts), and reverse-proxies
 * them to the sandbox's entry Service: bodies streamed both ways, WebSocket and other upgrades
 * passed through as raw sockets.
 */
import { createServer, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { BaggageError } from '../sandbox/preview/baggage';
import type { AgentLog } from './log';
import { decide, endToEndHeaders, upstreamHeaders, type GateKey, type GateRequest } from './previewGateRules';

export interface PreviewGateConfig extends GateKey {
  host: string;
  port: number;
  upstream: { host: string; port: number };
}

export interface PreviewGate {
  readonly port: number;
  close(): Promise<void>;
}

function gateRequest(req: IncomingMessage): GateRequest {
  return { url: req.url ?? '/', headers: req.headers, encrypted: Boolean((req.socket as TLSSocket).encrypted) };
}

function badGateway(res: ServerResponse, why: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`Tether preview\n\nThe sandbox's service did not answer: ${why}.\nThe developer's service may be stopped; ask them to bring the preview up again.\n`);
}

/** The upstream headers, or the page that says why the visitor's baggage header leaves no room for ours. */
function headersFor(config: PreviewGateConfig, request: GateRequest, req: IncomingMessage): OutgoingHttpHeaders | string {
  try {
    return upstreamHeaders(request, req.socket.remoteAddress, config);
  } catch (err) {
    if (!(err instanceof BaggageError)) throw err;
    return `Tether preview\n\nThis request cannot be routed to the sandbox: ${err.message}.\n${err.remedy}.\n`;
  }
}

export async function startPreviewGate(config: PreviewGateConfig, log: AgentLog, now: () => number = Date.now): Promise<PreviewGate> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const request = gateRequest(req);
    const decision = decide(config, request, now());
    if (decision.kind === 'refuse') {
      log('preview-refused', { why: decision.why, status: decision.status });
      res.writeHead(decision.status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(decision.page);
    }
    if (decision.kind === 'redirect') {
      res.writeHead(303, { location: decision.location, 'set-cookie': decision.cookie, 'cache-control': 'no-store' });
      return void res.end();
    }
    const headers = headersFor(config, request, req);
    if (typeof headers === 'string') {
      res.writeHead(431, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(headers);
    }
    const upstream = httpRequest({ host: config.upstream.host, port: config.upstream.port, method: req.method, path: decision.path, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEndHeaders(answer.headers));
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (err) => badGateway(res, err.message));
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const request = gateRequest(req);
    const decision = decide(config, request, now(), true);
    if (decision.kind !== 'forward') {
      const status = decision.kind === 'refuse' ? decision.status : 401;
      return void socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    }
    // Upgrades keep their Connection and Upgrade headers: they are what the upstream answers to.
    const routed = headersFor(config, request, req);
    if (typeof routed === 'string') return void socket.end('HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    const headers = { ...routed, connection: 'Upgrade', upgrade: String(req.headers.upgrade ?? '') };
    const lines = [`${req.method ?? 'GET'} ${decision.path} HTTP/1.1`];
    for (const [name, value] of Object.entries(headers)) for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) lines.push(`${name}: ${v}`);
    const out = connect(config.upstream.port, config.upstream.host);
    sockets.add(out);
    out.once('close', () => {
      sockets.delete(out);
      socket.destroy();
    });
    socket.once('close', () => out.destroy());
    out.on('error', () => socket.destroy());
    out.once('connect', () => {
      out.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) out.write(head);
      out.pipe(socket);
      socket.pipe(out);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log('preview-gate', { listen: `${config.host}:${port}`, upstream: `${config.upstream.host}:${config.upstream.port}`, sandbox: config.sandbox });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
