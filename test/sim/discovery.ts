/**
 * Discovery documents: /version, /api, /api/v1, /apis, /apis/<group>/<version> built from the
 * resources the simulator serves, and the recorded OpenAPI v3 documents for core/v1 and apps/v1.
 */
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ResourceRegistry } from './resources';

export interface DiscoveryDocuments {
  /** JSON body for a discovery path, or undefined when the path is not a discovery document. */
  get(path: string): string | undefined;
}

const fallbackVersion = {
  major: '1', minor: '25', gitVersion: 'v1.25.0-tether-sim', gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.19.8', compiler: 'gc', platform: 'linux/amd64',
};

function minimalOpenApi(title: string): string {
  return JSON.stringify({ openapi: '3.0.0', info: { title, version: 'unversioned' }, paths: {}, components: { schemas: {} } });
}

export function buildDiscovery(registry: ResourceRegistry, samplesDir: string, log: (message: string) => void): DiscoveryDocuments {
  const docs = new Map<string, string>();
  const versionFile = join(samplesDir, '200-version.json');
  docs.set('/version', existsSync(versionFile) ? JSON.stringify(JSON.parse(readFileSync(versionFile, 'utf8'))) : JSON.stringify(fallbackVersion));

  const groups = new Map<string, string[]>();
  for (const { group, version } of registry.groupVersions()) {
    const list = groups.get(group) ?? [];
    list.push(version);
    groups.set(group, list);
    const resources = registry.all().filter((r) => r.group === group && r.version === version).flatMap((r) => {
      const main = { name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: r.verbs, ...(r.shortNames.length ? { shortNames: r.shortNames } : {}) };
      const subs = [];
      if (r.hasStatus) subs.push({ name: `${r.plural}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] });
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
  for (const [path, file, title] of [
    ['api/v1', 'openapi-v3-api-v1.json.gz', 'Kubernetes core/v1'],
    ['apis/apps/v1', 'openapi-v3-apps-v1.json.gz', 'Kubernetes apps/v1'],
  ] as const) {
    const full = join(samplesDir, file);
    let body: string;
    if (existsSync(full)) body = gunzipSync(readFileSync(full)).toString('utf8');
    else {
      log(`OpenAPI document ${full} is missing; serving a minimal /openapi/v3/${path}`);
      body = minimalOpenApi(title);
    }
    docs.set(`/openapi/v3/${path}`, body);
    const hash = createHash('sha512').update(body).digest('hex').toUpperCase();
    index[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  docs.set('/openapi/v3', JSON.stringify({ paths: index }));
  return { get: (path) => docs.get(path.endsWith('/') && path.length > 1 ? path.slice(0, -1) : path) };
}
