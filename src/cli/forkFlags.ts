/**
 * Sandboxes described on the command line, the CI case: `--fork api=image:REF` (another image),
 * `--fork web=env:K=V` (the baseline image with changed environment; repeat for more variables),
 * a workload kind as `statefulset/db=…`, `--preview SERVICE[:PORT][/PATH]` and `--ttl 4h`. With a
 * tether.yaml they change its forks (a flag for a forked workload replaces that fork's mode and
 * image, its environment merged); without one they make the whole spec.
 */
import { parseDuration, type ForkableKind, type ForkSpec, type PreviewSpec, type SandboxSpec } from '../sandbox/spec';
import { UsageError } from './failures';

const dns1123 = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const envName = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const kinds: Record<string, ForkableKind> = { deployment: 'Deployment', statefulset: 'StatefulSet' };

export interface ForkFlag {
  kind: ForkableKind;
  name: string;
  image?: string;
  env: Record<string, string>;
}

/** One `--fork` value. */
export function parseForkFlag(text: string): ForkFlag {
  const eq = text.indexOf('=');
  const usage = `--fork "${text}": expected WORKLOAD=image:REF or WORKLOAD=env:NAME=VALUE (WORKLOAD may be statefulset/NAME)`;
  if (eq <= 0) throw new UsageError(usage);
  const [kindText, nameText] = text.slice(0, eq).includes('/') ? text.slice(0, eq).split('/', 2) : ['deployment', text.slice(0, eq)];
  const kind = kinds[kindText.toLowerCase()];
  if (!kind) throw new UsageError(`--fork "${text}": "${kindText}" is not a kind a sandbox forks (deployment or statefulset)`);
  if (!dns1123.test(nameText)) throw new UsageError(`--fork "${text}": "${nameText}" is not a workload name (a DNS-1123 label)`);
  const value = text.slice(eq + 1);
  if (value.startsWith('image:')) {
    const image = value.slice('image:'.length);
    if (!image || /\s/.test(image)) throw new UsageError(`--fork "${text}": the image reference is empty or has spaces`);
    return { kind, name: nameText, image, env: {} };
  }
  if (value.startsWith('env:')) {
    const assignment = value.slice('env:'.length);
    const at = assignment.indexOf('=');
    const name = assignment.slice(0, at);
    if (at <= 0 || !envName.test(name)) throw new UsageError(`--fork "${text}": expected env:NAME=VALUE with a valid variable name`);
    return { kind, name: nameText, env: { [name]: assignment.slice(at + 1) } };
  }
  throw new UsageError(usage);
}

/** The flags of one workload together: an image and any environment. */
export function mergeForkFlags(flags: readonly ForkFlag[]): ForkFlag[] {
  const merged = new Map<string, ForkFlag>();
  for (const f of flags) {
    const key = `${f.kind}/${f.name}`;
    const current = merged.get(key);
    if (current?.image && f.image && current.image !== f.image) throw new UsageError(`--fork: two images for ${f.name} (${current.image}, ${f.image})`);
    merged.set(key, { kind: f.kind, name: f.name, image: f.image ?? current?.image, env: { ...current?.env, ...f.env } });
  }
  return [...merged.values()];
}

/** `--preview web:8080/health`. */
export function parsePreviewFlag(text: string): PreviewSpec {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(?::(\d{1,5}))?(\/.*)?$/.exec(text);
  if (!m) throw new UsageError(`--preview "${text}": expected SERVICE[:PORT][/PATH], e.g. web:80/health`);
  const preview: PreviewSpec = { service: m[1], path: m[4] ?? '/' };
  if (m[3]) preview.port = Number(m[3]);
  return preview;
}

export function parseTtlFlag(text: string): number {
  const seconds = parseDuration(text);
  if (seconds === undefined || seconds < 60 || seconds > 168 * 3600) throw new UsageError(`--ttl "${text}": expected a duration from 1m to 168h, like 4h or 90m`);
  return seconds;
}

export interface SpecFlags {
  fork?: string[];
  preview?: string;
  ttl?: string;
  baseline?: string;
}

function forkOf(flag: ForkFlag, base?: ForkSpec): ForkSpec {
  const fork: ForkSpec = { ...(base ?? { ports: [] }), workload: { kind: flag.kind, name: flag.name }, mode: flag.image || base?.mode === 'image' ? 'image' : 'env', env: { ...base?.env, ...flag.env } };
  const image = flag.image ?? (base?.mode === 'image' ? base.image : undefined);
  if (image) fork.image = image;
  else delete fork.image;
  return fork;
}

/**
 * The spec to run: tether.yaml (when there is one) changed by the flags, or the flags alone, which
 * then need at least one --fork; the baseline is --baseline, else the context's namespace.
 */
export function specFromFlags(base: SandboxSpec | undefined, flags: SpecFlags, defaults: { name: string; baselineNamespace: string }): SandboxSpec {
  const forkFlags = mergeForkFlags((flags.fork ?? []).map(parseForkFlag));
  if (!base && forkFlags.length === 0) throw new UsageError('there is no tether.yaml here: name what to fork with --fork WORKLOAD=image:REF or --fork WORKLOAD=env:NAME=VALUE (or pass --spec FILE)');
  const spec: SandboxSpec = base ? { ...base, forks: [...base.forks], checks: [...base.checks] } : { name: defaults.name, baseline: { namespace: defaults.baselineNamespace }, ttlSeconds: 2 * 3600, forks: [], checks: [] };
  if (flags.baseline) {
    if (!dns1123.test(flags.baseline)) throw new UsageError(`--baseline "${flags.baseline}" is not a namespace name`);
    spec.baseline = { namespace: flags.baseline };
  }
  for (const flag of forkFlags) {
    const i = spec.forks.findIndex((f) => f.workload.kind === flag.kind && f.workload.name === flag.name);
    if (i >= 0) spec.forks[i] = forkOf(flag, spec.forks[i]);
    else spec.forks.push(forkOf(flag));
  }
  if (flags.preview) spec.preview = parsePreviewFlag(flags.preview);
  if (flags.ttl) spec.ttlSeconds = parseTtlFlag(flags.ttl);
  return spec;
}
