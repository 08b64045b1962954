/**
 * Kubeconfig files the tests write for identities of their own (a ServiceAccount's token), on the
 * cluster under test as its kubeconfig reaches it, or through a fault proxy in front of it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { kubeConfigForContext, loadKubeconfig } from '../../src/kube/config';
import type { Disposable } from '../../src/lifecycle';

/** How a kubeconfig reaches a cluster: the fields of its `cluster` entry. */
export interface ClusterEntry {
  server: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify?: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
}

/** The cluster entry a context of a kubeconfig uses (certificate paths resolved). */
export function clusterEntryOf(kubeconfigPath: string, context: string): ClusterEntry {
  const { cluster } = kubeConfigForContext(loadKubeconfig({ KUBECONFIG: kubeconfigPath }), context);
  const entry: ClusterEntry = { server: cluster.server };
  if (cluster.caData) entry.caData = cluster.caData;
  if (cluster.caFile) entry.caFile = cluster.caFile;
  if (cluster.skipTLSVerify) entry.skipTLSVerify = true;
  if (cluster.tlsServerName) entry.tlsServerName = cluster.tlsServerName;
  if (cluster.proxyUrl) entry.proxyUrl = cluster.proxyUrl;
  return entry;
}

/** Where the server listens: host and port of its URL. */
export function serverAddress(entry: ClusterEntry): { host: string; port: number } {
  const url = new URL(entry.server);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || (url.protocol === 'http:' ? 80 : 443)) };
}

/**
 * The same cluster reached at `address` instead (a proxy on this machine): the certificate is still
 * checked against the server's own name (`tls-server-name`), and a `proxy-url` is the proxy's to use.
 */
export function reachedThrough(entry: ClusterEntry, address: { host: string; port: number }): ClusterEntry {
  const url = new URL(entry.server);
  const original = url.hostname.replace(/^\[|\]$/g, '');
  url.hostname = address.host;
  url.port = String(address.port);
  const through: ClusterEntry = { ...entry, server: url.toString().replace(/\/$/, '') };
  delete through.proxyUrl;
  // A certificate for 127.0.0.1 is still good for 127.0.0.1 on another port; any other name is kept.
  if (!entry.tlsServerName && !(isIP(original) && original === address.host)) through.tlsServerName = original;
  return through;
}

export interface KubeconfigUser {
  token?: string;
  exec?: { apiVersion: string; command: string; args?: string[]; interactiveMode?: string };
}

/** A folder of the test's own in the system temp folder, removed by `dispose()`. */
export function privateFolder(): { path: string } & Disposable {
  const path = mkdtempSync(join(tmpdir(), 'tether-test-kubeconfig-'));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes `<folder>/kubeconfig` with one context, `name`; answers its path. */
export function writeKubeconfig(folder: string, name: string, cluster: ClusterEntry, user: KubeconfigUser, namespace: string): string {
  const path = join(folder, 'kubeconfig');
  const entry: Record<string, unknown> = { server: cluster.server };
  if (cluster.caData) entry['certificate-authority-data'] = cluster.caData;
  if (cluster.caFile) entry['certificate-authority'] = cluster.caFile;
  if (cluster.skipTLSVerify) entry['insecure-skip-tls-verify'] = true;
  if (cluster.tlsServerName) entry['tls-server-name'] = cluster.tlsServerName;
  if (cluster.proxyUrl) entry['proxy-url'] = cluster.proxyUrl;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: entry }],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: name, user: name, namespace } }],
    'current-context': name,
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}
