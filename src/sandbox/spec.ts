/**
 * The `tether.yaml` model: what a sandbox forks from which baseline, how long it lives, where its
 * preview enters and which checks run against it. `parseSpec` is pure: text in, a typed spec and
 * diagnostics with exact ranges out. A spec with any error diagnostic is `undefined`, so it can
 * never reach planning or apply.
 */
import { LineCounter, parseDocument, type Node } from 'yaml';
import { join, SpecReader, type SpecDiagnostic } from './specNodes';

export type { SpecDiagnostic } from './specNodes';

export const specFileName = 'tether.yaml';
export const defaultTtlSeconds = 2 * 60 * 60;

export type ForkMode = 'local' | 'image' | 'env';
export const forkModes: readonly ForkMode[] = ['local', 'image', 'env'];
/** Workload kinds a fork can copy. */
export const forkableKinds = ['Deployment', 'StatefulSet'] as const;
export type ForkableKind = (typeof forkableKinds)[number];
/** Why the other workload kinds cannot be forked, said when tether.yaml names one. */
export const unforkableKinds: Readonly<Record<string, string>> = {
  DaemonSet: 'a DaemonSet runs one pod per node, so a copy would run on every node next to the baseline\'s',
  Job: 'a Job runs to completion; a sandbox forks long-running workloads that serve traffic',
  CronJob: 'a CronJob starts Jobs on a schedule; a sandbox forks long-running workloads that serve traffic',
  Pod: 'a bare Pod has no template to copy; fork the Deployment or StatefulSet that owns it',
  ReplicaSet: 'a ReplicaSet is managed by its Deployment; fork the Deployment',
};

export interface WorkloadRef {
  kind: ForkableKind;
  name: string;
}

export interface ForkPort {
  /** The container port in-cluster callers reach (the workload's port). */
  port: number;
  /** For `local` forks: the port of the process on the developer's machine (default: `port`). */
  localPort?: number;
}

export interface ForkSpec {
  workload: WorkloadRef;
  mode: ForkMode;
  /** `image` forks: the image that replaces the baseline's (first container unless `container`). */
  image?: string;
  /** Which container to change; default the first one. */
  container?: string;
  /** Environment set or overridden on the container (`env` and `image` forks). */
  env: Record<string, string>;
  ports: ForkPort[];
  /**
   * `image` and `env` forks: replaces the container's `command` (the image's ENTRYPOINT). Absent:
   * the baseline's is kept, right for a new build of the same app. Empty: the baseline's is
   * dropped, so the image's own ENTRYPOINT runs.
   */
  command?: string[];
  /** Like `command`, for the container's `args` (the image's CMD). */
  args?: string[];
}

/** The fields a fork may have, as tether.yaml and the JSON schema name them. */
export const forkFields = ['workload', 'mode', 'image', 'container', 'env', 'ports', 'command', 'args'] as const;
/** Fork modes that run a copy of the baseline's container, whose command and args a fork may override. */
export const copyingModes: readonly ForkMode[] = ['image', 'env'];

/**
 * How the preview reaches the forks: `namespace` enters the sandbox's own copy of the entry Service;
 * `header` enters the baseline's entry Service through a local proxy that adds
 * `baggage: tether-sandbox=<sandbox>`, for baselines whose mesh or services route by that header.
 */
export type PreviewRouting = 'namespace' | 'header';
export const previewRoutings: readonly PreviewRouting[] = ['namespace', 'header'];

export interface PreviewSpec {
  /** The Service the preview enters through (a baseline service name; forks take its place). */
  service: string;
  port?: number;
  /** Path the preview opens and health-checks, default "/". */
  path: string;
  /** Present only when set in tether.yaml; absent means `namespace`. */
  routing?: PreviewRouting;
}

export interface CheckSpec {
  name: string;
  image: string;
  command: string[];
  /** Extra environment; TETHER_PREVIEW_URL is always set. */
  env: Record<string, string>;
  timeoutSeconds: number;
}

export interface SandboxSpec {
  /** The application's name; part of object names and labels. DNS-1123 label. */
  name: string;
  baseline: { namespace: string };
  ttlSeconds: number;
  forks: ForkSpec[];
  preview?: PreviewSpec;
  checks: CheckSpec[];
}

export interface ParsedSpec {
  /** Present only when there is no error diagnostic. */
  spec?: SandboxSpec;
  diagnostics: SpecDiagnostic[];
}

const dns1123Label = { re: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, hint: 'must be a DNS-1123 label: lower-case letters, digits and "-", at most 63, starting and ending with a letter or digit' };
const envName = { re: /^[A-Za-z_][A-Za-z0-9_.-]*$/, hint: 'is not a valid environment variable name' };
const imageRef = { re: /^[^\s]+$/, hint: 'is not an image reference (no spaces allowed)' };

/** "2h", "90m", "1h30m", "45s" or a number of seconds. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value.trim());
  if (!match || value.trim() === '') return undefined;
  const seconds = Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
  return seconds > 0 ? seconds : undefined;
}

export function parseSpec(text: string): ParsedSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const reader = new SpecReader(lines, text.length);
  for (const error of doc.errors) {
    reader.reportAt(error.pos[0], error.pos[1], '', 'yaml-syntax', error.message.split('\n')[0]);
  }
  if (reader.hasErrors) return { diagnostics: reader.diagnostics };
  const root = doc.contents as Node | null;
  if (root === null) {
    reader.report(null, '', 'spec-required', `${specFileName} is empty; it needs at least "name", "baseline" and "forks"`);
    return { diagnostics: reader.diagnostics };
  }
  const spec = readSpec(reader, root);
  return reader.hasErrors || !spec ? { diagnostics: reader.diagnostics } : { spec, diagnostics: reader.diagnostics };
}

function readSpec(r: SpecReader, root: Node): SandboxSpec | undefined {
  const top = r.map(root, '', ['name', 'baseline', 'ttl', 'forks', 'preview', 'checks'], specFileName);
  if (!top) return undefined;
  const name = r.string(r.required(top, root, '', 'name', specFileName), 'name', 'name', dns1123Label);
  const baselineNode = r.required(top, root, '', 'baseline', specFileName);
  let namespace: string | undefined;
  if (baselineNode !== undefined) {
    const baseline = r.map(baselineNode, 'baseline', ['namespace'], 'baseline');
    if (baseline) namespace = r.string(r.required(baseline, baselineNode, 'baseline', 'namespace', 'baseline'), 'baseline.namespace', 'baseline.namespace', dns1123Label);
  }
  let ttlSeconds = defaultTtlSeconds;
  const ttlNode = top.get('ttl')?.value;
  if (top.has('ttl')) {
    const value = ttlNode && 'value' in ttlNode ? (ttlNode as { value: unknown }).value : undefined;
    const parsed = parseDuration(value);
    if (parsed === undefined || parsed < 60 || parsed > 7 * 24 * 3600) {
      r.report(ttlNode, 'ttl', 'spec-format', 'ttl must be a duration from 1m to 168h, like "2h", "90m" or "1h30m"');
    } else {
      ttlSeconds = parsed;
    }
  }
  const forksNode = r.required(top, root, '', 'forks', specFileName);
  const forks: ForkSpec[] = [];
  const items = forksNode === undefined ? undefined : r.seq(forksNode, 'forks', 'forks');
  if (items?.length === 0) r.report(forksNode, 'forks', 'spec-required', 'forks needs at least one workload to fork');
  items?.forEach((item, i) => {
    const fork = readFork(r, item, join('forks', i));
    if (fork) forks.push(fork);
  });
  const seen = new Map<string, number>();
  forks.forEach((f) => seen.set(`${f.workload.kind}/${f.workload.name}`, (seen.get(`${f.workload.kind}/${f.workload.name}`) ?? 0) + 1));
  items?.forEach((item, i) => {
    const f = forks[i];
    if (f && (seen.get(`${f.workload.kind}/${f.workload.name}`) ?? 0) > 1) r.report(item, join('forks', i), 'spec-duplicate', `${f.workload.kind} "${f.workload.name}" is forked more than once; keep one entry`);
  });
  const preview = top.has('preview') ? readPreview(r, top.get('preview')?.value) : undefined;
  const checks: CheckSpec[] = [];
  if (top.has('checks')) {
    const checkNodes = r.seq(top.get('checks')?.value, 'checks', 'checks') ?? [];
    const names = new Set<string>();
    checkNodes.forEach((node, i) => {
      const check = readCheck(r, node, join('checks', i));
      if (!check) return;
      if (names.has(check.name)) r.report(node, join('checks', i), 'spec-duplicate', `check "${check.name}" is defined twice; names must be unique`);
      names.add(check.name);
      checks.push(check);
    });
  }
  if (!name || !namespace) return undefined;
  const spec: SandboxSpec = { name, baseline: { namespace }, ttlSeconds, forks, checks };
  if (preview) spec.preview = preview;
  return spec;
}

function readFork(r: SpecReader, node: Node, path: string): ForkSpec | undefined {
  const m = r.map(node, path, forkFields, 'a fork');
  if (!m) return undefined;
  const workloadNode = r.required(m, node, path, 'workload', 'a fork');
  let workload: WorkloadRef | undefined;
  if (workloadNode !== undefined) {
    const w = r.map(workloadNode, join(path, 'workload'), ['kind', 'name'], 'workload');
    if (w) {
      const kind = w.has('kind') ? readKind(r, w.get('kind')?.value as Node, join(path, 'workload.kind')) : 'Deployment';
      const name = r.string(r.required(w, workloadNode, join(path, 'workload'), 'name', 'workload'), join(path, 'workload.name'), 'workload.name', dns1123Label);
      if (kind && name) workload = { kind, name };
    }
  }
  const modeNode = r.required(m, node, path, 'mode', 'a fork');
  const mode = modeNode === undefined ? undefined : r.oneOf(modeNode, join(path, 'mode'), 'mode', forkModes);
  const image = m.has('image') ? r.string(m.get('image')?.value, join(path, 'image'), 'image', imageRef) : undefined;
  if (mode === 'image' && !m.has('image')) r.report(modeNode, join(path, 'image'), 'spec-required', 'a fork with mode "image" needs "image": the image to run instead of the baseline\'s');
  if (mode !== undefined && mode !== 'image' && m.has('image')) r.report(m.get('image')?.key as Node, join(path, 'image'), 'spec-mode', `"image" only applies to mode "image"; this fork's mode is "${mode}"`);
  const container = m.has('container') ? r.string(m.get('container')?.value, join(path, 'container'), 'container', dns1123Label) : undefined;
  const env = m.has('env') ? (r.stringMap(m.get('env')?.value, join(path, 'env'), 'env', envName) ?? {}) : {};
  if (mode === 'env' && Object.keys(env).length === 0) r.report(modeNode, join(path, 'env'), 'spec-required', 'a fork with mode "env" needs "env": the variables that differ from the baseline');
  const ports: ForkPort[] = [];
  if (m.has('ports')) {
    (r.seq(m.get('ports')?.value, join(path, 'ports'), 'ports') ?? []).forEach((p, i) => {
      const port = readPort(r, p, join(join(path, 'ports'), i), mode);
      if (port) ports.push(port);
    });
  }
  if (mode === 'local' && m.has('ports') && ports.length === 0) r.report(m.get('ports')?.value, join(path, 'ports'), 'spec-required', 'a local fork needs at least one port to tunnel');
  const overrides: Partial<Record<'command' | 'args', string[]>> = {};
  for (const key of ['command', 'args'] as const) {
    if (!m.has(key)) continue;
    if (mode !== undefined && !copyingModes.includes(mode)) {
      r.report(m.get(key)?.key as Node, join(path, key), 'spec-mode', `"${key}" only applies to modes "image" and "env", which run a copy of the baseline's container; a "${mode}" fork runs your own process`);
      continue;
    }
    const list = readStringList(r, m.get(key)?.value, join(path, key), key);
    if (list) overrides[key] = list;
  }
  if (!workload || !mode) return undefined;
  const fork: ForkSpec = { workload, mode, env, ports };
  if (image) fork.image = image;
  if (container) fork.container = container;
  if (overrides.command) fork.command = overrides.command;
  if (overrides.args) fork.args = overrides.args;
  return fork;
}

/** The workload kind, with the reason when it is a kind a sandbox cannot fork. */
function readKind(r: SpecReader, node: Node, path: string): ForkableKind | undefined {
  const value = node && 'value' in node ? (node as { value: unknown }).value : undefined;
  const why = typeof value === 'string' ? unforkableKinds[value] : undefined;
  if (why) {
    r.report(node, path, 'spec-enum', `${value} cannot be forked: ${why}. Forkable kinds: ${forkableKinds.join(', ')}`);
    return undefined;
  }
  return r.oneOf(node, path, 'workload.kind', forkableKinds);
}

function readPort(r: SpecReader, node: Node, path: string, mode: ForkMode | undefined): ForkPort | undefined {
  if (node && 'value' in node && typeof (node as { value: unknown }).value === 'number') {
    const port = r.integer(node, path, 'a port', 1, 65535);
    return port === undefined ? undefined : { port };
  }
  const m = r.map(node, path, ['port', 'localPort'], 'a port');
  if (!m) return undefined;
  const port = r.integer(r.required(m, node, path, 'port', 'a port'), join(path, 'port'), 'port', 1, 65535);
  const localPort = m.has('localPort') ? r.integer(m.get('localPort')?.value, join(path, 'localPort'), 'localPort', 1, 65535) : undefined;
  if (m.has('localPort') && mode !== undefined && mode !== 'local') r.report(m.get('localPort')?.key as Node, join(path, 'localPort'), 'spec-mode', `localPort only applies to mode "local"; this fork's mode is "${mode}"`, 'warning');
  if (port === undefined) return undefined;
  return localPort === undefined ? { port } : { port, localPort };
}

function readPreview(r: SpecReader, node: Node | null | undefined): PreviewSpec | undefined {
  const m = r.map(node, 'preview', ['service', 'port', 'path', 'routing'], 'preview');
  if (!m) return undefined;
  const service = r.string(r.required(m, node, 'preview', 'service', 'preview'), 'preview.service', 'preview.service', dns1123Label);
  const port = m.has('port') ? r.integer(m.get('port')?.value, 'preview.port', 'preview.port', 1, 65535) : undefined;
  const path = m.has('path') ? r.string(m.get('path')?.value, 'preview.path', 'preview.path', { re: /^\//, hint: 'must start with "/"' }) : '/';
  const routing = m.has('routing') ? r.oneOf(m.get('routing')?.value, 'preview.routing', 'preview.routing', previewRoutings) : undefined;
  if (!service || !path || (m.has('routing') && !routing)) return undefined;
  const preview: PreviewSpec = port === undefined ? { service, path } : { service, port, path };
  // Only a written `routing` is kept, so specs (and their hashes) without it stay as they were.
  if (routing) preview.routing = routing;
  return preview;
}

/** A list of strings (possibly empty); undefined, with diagnostics, when it is not one. */
function readStringList(r: SpecReader, node: Node | null | undefined, path: string, what: string): string[] | undefined {
  const parts = r.seq(node, path, what);
  const strings = parts?.map((p, i) => r.string(p, join(path, i), `each part of ${what}`));
  return strings?.every((s) => s !== undefined) ? (strings as string[]) : undefined;
}

function readCheck(r: SpecReader, node: Node, path: string): CheckSpec | undefined {
  const m = r.map(node, path, ['name', 'image', 'command', 'env', 'timeout'], 'a check');
  if (!m) return undefined;
  const name = r.string(r.required(m, node, path, 'name', 'a check'), join(path, 'name'), 'name', dns1123Label);
  const image = r.string(r.required(m, node, path, 'image', 'a check'), join(path, 'image'), 'image', imageRef);
  const commandNode = r.required(m, node, path, 'command', 'a check');
  let command: string[] | undefined;
  if (commandNode !== undefined) {
    command = readStringList(r, commandNode, join(path, 'command'), 'command');
    if (command?.length === 0) {
      r.report(commandNode, join(path, 'command'), 'spec-required', 'command needs at least the program to run');
      command = undefined;
    }
  }
  let timeoutSeconds = 600;
  if (m.has('timeout')) {
    const t = m.get('timeout')?.value;
    const parsed = parseDuration(t && 'value' in t ? (t as { value: unknown }).value : undefined);
    if (parsed === undefined) r.report(t, join(path, 'timeout'), 'spec-format', 'timeout must be a duration like "5m" or "90s"');
    else timeoutSeconds = parsed;
  }
  const env = m.has('env') ? (r.stringMap(m.get('env')?.value, join(path, 'env'), 'env', envName) ?? {}) : {};
  if (!name || !image || !command) return undefined;
  return { name, image, command, env, timeoutSeconds };
}
