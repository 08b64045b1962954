/**
 * A tiny HTTPS "API server" for unit tests: a real TLS listener on 127.0.0.1 with a generated
 * certificate, a kubeconfig pointing at it, and a route handler the test controls byte by byte.
 * Tracks open sockets so tests can assert that nothing is left connected.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { generate } from 'selfsigned';

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

export interface LocalCluster {
  url: string;
  caPem: string;
  dir: string;
  kubeconfigPath: string;
  /** Every request seen, in order, as "METHOD /path?query". */
  requests: string[];
  openSockets(): number;
  setHandler(handler: Handler): void;
  close(): Promise<void>;
}

export function generateServerCert(days = 1, notBeforeDate = new Date()) {
  return generate([{ name: 'commonName', value: '127.0.0.1' }], {
    days,
    notBeforeDate,
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
}

export function writeKubeconfig(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

export function kubeconfigFor(server: string, caPem: string, token = 'test-token', context = 'local'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${context}`,
    'clusters:',
    `- name: ${context}-cluster`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}`,
    'users:',
    `- name: ${context}-user`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    `- name: ${context}`,
    '  context:',
    `    cluster: ${context}-cluster`,
    `    user: ${context}-user`,
    '    namespace: team',
    '',
  ].join('\n');
}

export async function startLocalCluster(handler: Handler, token = 'test-token'): Promise<LocalCluster> {
  const pems = generateServerCert();
  let current = handler;
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 }));
      return;
    }
    current(req, res, url);
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'tether-kube-'));
  const kubeconfigPath = writeKubeconfig(dir, 'config', kubeconfigFor(url, pems.cert, token));
  return {
    url,
    caPem: pems.cert,
    dir,
    kubeconfigPath,
    requests,
    openSockets: () => sockets.size,
    setHandler(next) {
      current = next;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Waits until `predicate` holds, polling every 5 ms, or fails after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface ForgeLike {
  pki: {
    rsa: { generateKeyPair(bits: number): { publicKey: unknown; privateKey: unknown } };
    createCertificate(): {
      publicKey: unknown;
      serialNumber: string;
      validity: { notBefore: Date; notAfter: Date };
      setSubject(attrs: { name: string; value: string }[]): void;
      setIssuer(attrs: { name: string; value: string }[]): void;
      sign(key: unknown, digest: unknown): void;
    };
    certificateToPem(cert: unknown): string;
    privateKeyToPem(key: unknown): string;
  };
  md: { sha256: { create(): unknown } };
}

/** A client certificate whose validity ended yesterday (selfsigned cannot make one). */
export function expiredClientCertificate(): { cert: string; key: string } {
  const forge = createRequire(import.meta.url)('node-forge') as ForgeLike;
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 3 * 86400_000);
  cert.validity.notAfter = new Date(Date.now() - 86400_000);
  const subject = [{ name: 'commonName', value: 'jane' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}
