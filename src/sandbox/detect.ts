/**
 * Proposing a tether.yaml from what a workspace has: the Kubernetes manifests found in it, the
 * Deployment or StatefulSet whose name or image matches the workspace folder, the Service in front of it, and
 * the port the local process listens on. Pure over its inputs; the caller gathers them.
 */
import { stringify } from 'yaml';
import { selects } from './forks/fork';
import { boundedName, slug } from './names';
import { forkableKinds, specFileName, type ForkableKind, type SandboxSpec } from './spec';

export interface ManifestFile {
  path: string;
  /** The file's YAML documents, parsed. */
  objects: readonly unknown[];
}

export interface WorkspaceFacts {
  /** The workspace folder's name, e.g. "shop-api". */
  folderName: string;
  manifests: readonly ManifestFile[];
  /** Ports local processes listen on or launch configurations name, most likely first. */
  localPorts?: readonly number[];
  /** Namespace for manifests that name none (the current context's). */
  defaultNamespace?: string;
}

export interface SpecProposal {
  spec: SandboxSpec;
  /** tether.yaml text for the proposal. */
  text: string;
  /** Why each choice was made, in plain words. */
  reasons: string[];
  /** Where the chosen workload was found. */
  source: { path: string; name: string };
}

interface Container {
  image?: string;
  ports?: { containerPort?: number; name?: string }[];
}

interface Workload {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec?: { selector?: Record<string, string>; template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: Container[] } }; ports?: { port?: number }[] };
}

function isObject(value: unknown): value is Workload {
  return typeof value === 'object' && value !== null;
}

/** The repository name of an image: "ghcr.io/acme/shop-api:1.2" -> "shop-api". */
export function imageName(image: string): string {
  const withoutDigest = image.split('@')[0];
  const last = withoutDigest.split('/').pop() ?? '';
  return last.split(':')[0];
}

function score(workload: Workload, folder: string): { points: number; why: string } {
  const name = workload.metadata?.name ?? '';
  if (name === folder) return { points: 3, why: `its name is the workspace folder's name "${folder}"` };
  const image = (workload.spec?.template?.spec?.containers ?? []).map((c) => imageName(c.image ?? '')).find((i) => slug(i) === folder);
  if (image) return { points: 2, why: `its image "${image}" is named like the workspace folder` };
  if (name && folder && (name.includes(folder) || folder.includes(name))) return { points: 1, why: `its name "${name}" resembles the workspace folder "${folder}"` };
  return { points: 0, why: '' };
}

function isForkable(kind: string | undefined): kind is ForkableKind {
  return (forkableKinds as readonly (string | undefined)[]).includes(kind);
}

/** The best proposal, or undefined (with the reason) when the workspace has no Deployment or StatefulSet. */
export function proposeSpec(facts: WorkspaceFacts): SpecProposal | { reason: string } {
  const folder = slug(facts.folderName);
  const found = facts.manifests.flatMap((file) => file.objects.filter(isObject).map((object) => ({ path: file.path, object })));
  const candidates = found.filter((f) => isForkable(f.object.kind) && f.object.metadata?.name);
  if (candidates.length === 0) {
    const where = facts.manifests.length === 0 ? 'no Kubernetes manifests were found in the workspace' : `none of the ${facts.manifests.length} manifest file(s) holds a Deployment or StatefulSet`;
    return { reason: `${where}; write ${specFileName} by hand or open the folder that holds your manifests` };
  }
  const ranked = candidates.map((d) => ({ ...d, ...score(d.object, folder) })).sort((a, b) => b.points - a.points);
  const chosen = ranked[0];
  const workload = chosen.object;
  const kind = workload.kind as ForkableKind;
  const name = workload.metadata?.name ?? '';
  const reasons = [chosen.points > 0 ? `Forks ${kind} "${name}" from ${chosen.path}: ${chosen.why}.` : `Forks ${kind} "${name}" from ${chosen.path}, the first one found: none is named like the workspace folder "${folder}".`];
  const containerPorts = (workload.spec?.template?.spec?.containers ?? []).flatMap((c) => c.ports ?? []).map((p) => p.containerPort).filter((p): p is number => typeof p === 'number');
  const local = facts.localPorts ?? [];
  const port = containerPorts[0] ?? local[0] ?? 8080;
  const localPort = local.find((p) => containerPorts.includes(p)) ?? local[0] ?? port;
  reasons.push(
    local.length > 0
      ? `Tunnels its port ${port} to local port ${localPort}${local.includes(port) ? ', where a local process listens' : ' (a local process listens there)'}.`
      : `Tunnels its port ${port} to the same local port; change localPort if your process listens elsewhere.`,
  );
  const namespace = workload.metadata?.namespace ?? facts.defaultNamespace ?? 'default';
  const labels = workload.spec?.template?.metadata?.labels ?? {};
  const service = found.find((f) => f.object.kind === 'Service' && selects(f.object.spec?.selector, labels) && (f.object.metadata?.namespace ?? namespace) === namespace);
  const spec: SandboxSpec = {
    name: boundedName([folder || name]),
    baseline: { namespace },
    ttlSeconds: 7200,
    forks: [{ workload: { kind, name }, mode: 'local', env: {}, ports: [localPort === port ? { port } : { port, localPort }] }],
    checks: [],
  };
  if (service?.object.metadata?.name) {
    spec.preview = { service: service.object.metadata.name, path: '/' };
    const servicePort = service.object.spec?.ports?.[0]?.port;
    if (typeof servicePort === 'number') spec.preview.port = servicePort;
    reasons.push(`Opens the preview through Service "${service.object.metadata.name}", which selects its pods.`);
  }
  return { spec, text: specText(spec), reasons, source: { path: chosen.path, name } };
}

/** tether.yaml text for a spec, in the order the schema documents. */
export function specText(spec: SandboxSpec): string {
  const forks = spec.forks.map((f) => {
    const out: Record<string, unknown> = { workload: { kind: f.workload.kind, name: f.workload.name }, mode: f.mode };
    if (f.image) out.image = f.image;
    if (f.container) out.container = f.container;
    if (Object.keys(f.env).length > 0) out.env = f.env;
    if (f.ports.length > 0) out.ports = f.ports;
    return out;
  });
  const doc: Record<string, unknown> = { name: spec.name, baseline: spec.baseline, ttl: durationText(spec.ttlSeconds), forks };
  if (spec.preview) doc.preview = spec.preview;
  if (spec.checks.length > 0) doc.checks = spec.checks.map((c) => ({ name: c.name, image: c.image, command: c.command, ...(Object.keys(c.env).length > 0 ? { env: c.env } : {}), timeout: durationText(c.timeoutSeconds) }));
  return `# Tether sandbox: what to fork from the baseline and how. Schema: schemas/tether.schema.json\n${stringify(doc)}`;
}

function durationText(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}` || '0s';
}
