/**
 * Discovery documents: /version, /api, /api/v1, /apis, /apis/<group>/<version> built from the
 * resources the simulator serves, and the recorded OpenAPI v3 documents for core/v1 and apps/v1.
 */
import { createHash } from 'node:crypto';
import { kubeApiJson, kubeApiText } from '../fixtures/kubeApi';
import type { ResourceRegistry } from './resources';

export interface DiscoveryDocuments {
  /** JSON body for a discovery path, or undefined when the path is not a discovery document. */
  get(path: string): string | undefined;
}

/** Builds the documents; a missing recording throws naming the file. */
export function buildDiscovery(registry: ResourceRegistry, samplesDir: string): DiscoveryDocuments {
  const docs = new Map<string, string>();
  docs.set('/version', JSON.stringify(kubeApiJson('200-version.json', samplesDir)));

  const groups = new Map<string, string[]>();
  for (const { group, version } of registry.groupVersions()) {
    const list = groups.get(group) ?? [];
    list.push(version);
    groups.set(group, list);
    const resources = registry.all().filter((r) => r.group === group && r.version === version).flatMap((r) => {
      const main = { name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: r.verbs, ...(r.shortNames.length ? { shortNames: r.shortNames } : {}) };
      const subs = [];
      if (r.hasStatus) subs.push({ name: `${r.plural}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] });
      if (r.kind === 'ServiceAccount') subs.push({ name: 'serviceaccounts/token', singularName: '', namespaced: true, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
      if (r.kind === 'Pod') {
        subs.push({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
        subs.push({ name: 'pods/portforward', singularName: '', namespaced: true, kind: 'PodPortForwardOptions', verbs: ['create', 'get'] });
      }
      return [main, ...subs];
    });
    const groupVersion = group ? `${group}/${version}` : version;
    docs.set(group ? `/apis/${group}/${version}` : `/api/${version}`, JSON.stringify({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources }));
  }
  docs.set('/api', JSON.stringify({ kind: 'APIVersions', versions: groups.get('') ?? [], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] }));
  const apiGroups = [...groups.entries()].filter(([g]) => g !== '').map(([name, versions]) => ({
    name,
    versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
  }));
  docs.set('/apis', JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups: apiGroups }));
  for (const g of apiGroups) docs.set(`/apis/${g.name}`, JSON.stringify({ kind: 'APIGroup', apiVersion: 'v1', ...g }));

  const index: Record<string, { serverRelativeURL: string }> = {};
  for (const [path, file] of [
    ['api/v1', 'openapi-v3-api-v1.json.gz'],
    ['apis/apps/v1', 'openapi-v3-apps-v1.json.gz'],
  ] as const) {
    const body = kubeApiText(file, samplesDir);
    docs.set(`/openapi/v3/${path}`, body);
    const hash = createHash('sha512').update(body).digest('hex').toUpperCase();
    index[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  docs.set('/openapi/v3', JSON.stringify({ paths: index }));
  return { get: (path) => docs.get(path.endsWith('/') && path.length > 1 ? path.slice(0, -1) : path) };
}
