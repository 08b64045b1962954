/**
 * Self-cleaning inside the cluster. The relay agent polls its sandbox's Lease with the pod's
 * service account; once the Lease's renewTime + TTL is in the past (the editor stopped renewing it
 * long ago: a closed laptop), it deletes the sandbox's labelled objects: workloads first, then what
 * they use, then — in own-namespace mode — the namespace, and finally the Lease. The Lease owns the
 * sandbox's remaining objects (the relay's own Deployment, Role, RoleBinding, ServiceAccount, and
 * Secrets, which the relay may not list), so the garbage collector removes the relay itself last,
 * after its permissions were last needed.
 *
 * Pure Node: no dependencies, bundled into the agent, run by a stock node image.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { cleanupEnv, cleanupKinds, collectionPath, unlistedInCluster, type CleanupKind } from '../sandbox/lifecycle/cleanupKinds';
import { managedByLabel, managedByValue, roleLabel, sandboxLabel, selfCleaningRoles } from '../sandbox/labels';
import { hasLapsed, leaseTiming, type LeaseLike } from '../sandbox/lifecycle/lease';

export const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface CleanupTarget {
  sandbox: string;
  namespace: string;
  lease: string;
  /** Own-namespace mode: the namespace is the sandbox's and goes too. */
  ownsNamespace: boolean;
}

export interface ApiAnswer {
  status: number;
  body: unknown;
}

/** One call to the API server; resolves with any HTTP status, rejects only on transport errors. */
export type ApiCall = (method: 'GET' | 'DELETE', path: string, body?: unknown) => Promise<ApiAnswer>;

export interface InClusterConfig {
  host: string;
  port: number;
  ca: string;
  /** Read on every call: projected tokens are rotated by the kubelet. */
  tokenFile: string;
}

type Env = Record<string, string | undefined>;

/** The API server as a pod sees it: KUBERNETES_SERVICE_HOST/PORT and the mounted service account. */
export function inClusterConfig(env: Env = process.env, dir = serviceAccountDir): InClusterConfig {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = Number(env.KUBERNETES_SERVICE_PORT);
  if (!host || !Number.isInteger(port)) throw new Error('self-cleanup needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT: is this running in a pod?');
  return { host, port, ca: readFileSync(`${dir}/ca.crt`, 'utf8'), tokenFile: `${dir}/token` };
}

export interface InClusterApi {
  call: ApiCall;
  /** Closes the kept-alive connections. */
  dispose(): void;
}

export function inClusterApi(config: InClusterConfig, timeoutMs = 10_000): InClusterApi {
  const agent = new https.Agent({ keepAlive: true, ca: config.ca });
  const call: ApiCall = (method, path, body) =>
    new Promise<ApiAnswer>((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const token = readFileSync(config.tokenFile, 'utf8').trim();
      const headers: Record<string, string | number> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
      if (payload) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': payload.length });
      const req = https.request({ host: config.host, port: config.port, method, path, agent, headers, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text for the log
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer from the API server within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  return { call, dispose: () => agent.destroy() };
}

export function cleanupTargetFromEnv(env: Env): CleanupTarget | undefined {
  const sandbox = env[cleanupEnv.sandbox];
  const namespace = env[cleanupEnv.namespace];
  const lease = env[cleanupEnv.lease];
  if (!sandbox || !namespace || !lease) return undefined;
  return { sandbox, namespace, lease, ownsNamespace: env[cleanupEnv.ownsNamespace] === 'true' };
}

export interface ListedObject {
  metadata: { name: string; uid?: string; labels?: Record<string, string> };
}

export interface CleanupStep {
  kind: CleanupKind | 'Namespace';
  name: string;
  uid?: string;
}

/** Kinds the relay leaves to the garbage collector: its own permissions, which every delete before needs. */
const keptForLast = new Set(['Role', 'RoleBinding', 'ServiceAccount', 'Lease']);

/**
 * Pure: what to delete, in order, given the labelled objects found per kind. Only objects whose
 * labels name this sandbox and Tether; the relay's (or preview gate's) own Deployment stays until the Lease takes it.
 */
export function planCleanup(found: ReadonlyMap<string, readonly ListedObject[]>, target: CleanupTarget): CleanupStep[] {
  const steps: CleanupStep[] = [];
  for (const kind of cleanupKinds) {
    if (keptForLast.has(kind.kind)) continue;
    for (const object of found.get(kind.kind) ?? []) {
      const labels = object.metadata.labels ?? {};
      if (labels[managedByLabel] !== managedByValue || labels[sandboxLabel] !== target.sandbox) continue;
      if (kind.kind === 'Deployment' && selfCleaningRoles.has(labels[roleLabel] ?? '')) continue;
      steps.push({ kind, name: object.metadata.name, uid: object.metadata.uid });
    }
  }
  if (target.ownsNamespace) steps.push({ kind: 'Namespace', name: target.namespace });
  const lease = cleanupKinds.find((k) => k.kind === 'Lease');
  if (lease) steps.push({ kind: lease, name: target.lease });
  return steps;
}

export type LeaseState = { state: 'alive'; expiresAt: number } | { state: 'lapsed'; expiresAt: number } | { state: 'gone' };

/** Pure: what a Lease (or its absence) means at `now`. */
export function leaseState(lease: LeaseLike | undefined, now: number, fallbackTtlSeconds: number): LeaseState {
  if (!lease) return { state: 'gone' };
  const timing = leaseTiming(lease, fallbackTtlSeconds);
  return hasLapsed(timing, now) ? { state: 'lapsed', expiresAt: timing.expiresAt } : { state: 'alive', expiresAt: timing.expiresAt };
}

function leasePath(target: CleanupTarget): string {
  const kind = cleanupKinds.find((k) => k.kind === 'Lease') as CleanupKind;
  return `${collectionPath(kind, target.namespace)}/${encodeURIComponent(target.lease)}`;
}

function failure(what: string, answer: ApiAnswer): Error {
  const message = (answer.body as { message?: string } | undefined)?.message ?? String(answer.body ?? '');
  return new Error(`${what}: HTTP ${answer.status}${message ? ` (${message})` : ''}`);
}

export async function readLease(api: ApiCall, target: CleanupTarget): Promise<LeaseLike | undefined> {
  const answer = await api('GET', leasePath(target));
  if (answer.status === 404) return undefined;
  if (answer.status !== 200) throw failure(`read Lease ${target.namespace}/${target.lease}`, answer);
  return answer.body as LeaseLike;
}

/** Deletes the sandbox (see planCleanup). Objects already gone are fine. Returns what was deleted. */
export async function cleanupSandbox(api: ApiCall, target: CleanupTarget, log: (line: string) => void = () => undefined): Promise<string[]> {
  const selector = encodeURIComponent(`${managedByLabel}=${managedByValue},${sandboxLabel}=${target.sandbox}`);
  const found = new Map<string, ListedObject[]>();
  for (const kind of cleanupKinds) {
    if (keptForLast.has(kind.kind) || unlistedInCluster.has(kind.kind)) continue;
    const answer = await api('GET', `${collectionPath(kind, target.namespace)}?labelSelector=${selector}`);
    // Listed only where the sandbox has one (rbac.ts) and the cluster serves the API.
    if ((answer.status === 403 || answer.status === 404) && kind.optional) continue;
    if (answer.status !== 200) throw failure(`list ${kind.plural} of sandbox ${target.sandbox}`, answer);
    found.set(kind.kind, (answer.body as { items?: ListedObject[] }).items ?? []);
  }
  const deleted: string[] = [];
  for (const step of planCleanup(found, target)) {
    const isNamespace = step.kind === 'Namespace';
    const path = isNamespace ? `/api/v1/namespaces/${encodeURIComponent(step.name)}` : `${collectionPath(step.kind as CleanupKind, target.namespace)}/${encodeURIComponent(step.name)}`;
    const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' };
    if (step.uid) body.preconditions = { uid: step.uid };
    const answer = await api('DELETE', path, body);
    const label = `${isNamespace ? 'Namespace' : (step.kind as CleanupKind).kind} ${step.name}`;
    if (answer.status === 404) continue;
    if (answer.status >= 300) throw failure(`delete ${label}`, answer);
    log(`deleted ${label}`);
    deleted.push(label);
  }
  return deleted;
}

export interface SelfCleanupOptions {
  api: ApiCall;
  target: CleanupTarget;
  pollMs?: number;
  now?: () => number;
  log?: (line: string) => void;
  fallbackTtlSeconds?: number;
}

export interface SelfCleanup {
  /** Resolves once the sandbox was cleaned up (never, if stopped before). */
  readonly done: Promise<string[]>;
  stop(): void;
}

/** Polls the Lease every pollMs; cleans up once it has lapsed; retries failures at the next poll. */
export function startSelfCleanup(options: SelfCleanupOptions): SelfCleanup {
  const pollMs = options.pollMs ?? 30_000;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let resolveDone: (deleted: string[]) => void = () => undefined;
  const done = new Promise<string[]>((resolve) => (resolveDone = resolve));
  const poll = async () => {
    try {
      const state = leaseState(await readLease(options.api, options.target), now(), options.fallbackTtlSeconds ?? 7200);
      if (state.state === 'lapsed') {
        log(`sandbox ${options.target.sandbox}: its Lease lapsed at ${new Date(state.expiresAt).toISOString()}; deleting the sandbox`);
        const deleted = await cleanupSandbox(options.api, options.target, log);
        stopped = true;
        resolveDone(deleted);
        return;
      }
    } catch (err) {
      log(`sandbox ${options.target.sandbox}: self-cleanup check failed, retrying: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!stopped) timer = setTimeout(() => void poll(), pollMs);
  };
  timer = setTimeout(() => void poll(), 0);
  return {
    done,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * What the agent calls at start: self-cleanup from the pod's environment, or undefined when the
 * relay does not belong to a sandbox (no TETHER_* variables).
 */
export function selfCleanupFromEnvironment(env: Env = process.env, log: (line: string) => void = (line) => console.log(line)): SelfCleanup | undefined {
  const target = cleanupTargetFromEnv(env);
  if (!target) return undefined;
  const pollMs = Number(env[cleanupEnv.pollMs]) > 0 ? Number(env[cleanupEnv.pollMs]) : undefined;
  const api = inClusterApi(inClusterConfig(env));
  const cleanup = startSelfCleanup({ api: api.call, target, pollMs, log });
  void cleanup.done.then(() => api.dispose());
  return {
    done: cleanup.done,
    stop() {
      cleanup.stop();
      api.dispose();
    },
  };
}
