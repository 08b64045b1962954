/** A small HTTPS client for the simulator tests: real TLS against the generated CA, bearer tokens. */
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Simulator } from '../../sim/server';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
  body: any;
}

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  /** Bearer token; default the admin's; null sends none. */
  token?: string | null;
  accept?: string;
}

export function call(sim: Simulator, method: string, path: string, options: RequestOptions = {}): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    const token = options.token === undefined ? sim.token : options.token;
    const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const req = httpsRequest(`${sim.url}${path}`, {
      method,
      ca: sim.caPem,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(payload !== undefined ? { 'Content-Type': options.contentType ?? 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) } : {}),
        ...(options.accept ? { Accept: options.accept } : {}),
        'User-Agent': 'sim-test/1.0',
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export interface WatchStream {
  /** The next event, waiting up to `timeoutMs`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- watch events carry arbitrary objects
  next(timeoutMs?: number): Promise<any>;
  /** Resolves when the server ends the response. */
  ended: Promise<void>;
  close(): void;
}

export function watch(sim: Simulator, path: string, token: string = sim.token, accept?: string): Promise<WatchStream> {
  return new Promise((resolvePromise, reject) => {
    const queue: unknown[] = [];
    const waiters: ((value: unknown) => void)[] = [];
    let buffer = '';
    let endedResolve: () => void = () => {};
    const ended = new Promise<void>((r) => (endedResolve = r));
    const req = httpsRequest(`${sim.url}${path}`, { ca: sim.caPem, headers: { Authorization: `Bearer ${token}`, ...(accept ? { Accept: accept } : {}) } }, (res: IncomingMessage) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (!line.trim()) continue;
          const event = JSON.parse(line) as unknown;
          const waiter = waiters.shift();
          if (waiter) waiter(event);
          else queue.push(event);
        }
      });
      res.on('end', () => endedResolve());
      res.on('close', () => endedResolve());
      res.on('error', () => endedResolve());
      resolvePromise({
        next(timeoutMs = 3000) {
          if (queue.length > 0) return Promise.resolve(queue.shift());
          return new Promise((r, rej) => {
            const timer = setTimeout(() => {
              const i = waiters.indexOf(w);
              if (i >= 0) waiters.splice(i, 1);
              rej(new Error(`no watch event within ${timeoutMs} ms`));
            }, timeoutMs);
            const w = (value: unknown) => {
              clearTimeout(timer);
              r(value);
            };
            waiters.push(w);
          });
        },
        ended,
        close: () => req.destroy(),
      });
    });
    req.on('error', (err) => {
      endedResolve();
      reject(err);
    });
    req.end();
  });
}

export { kubeApiJson as recording, kubeApiText as recordingText } from '../../fixtures/kubeApi';

export function until(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  return new Promise((resolvePromise, reject) => {
    const tick = () => {
      if (predicate()) resolvePromise();
      else if (Date.now() - start > timeoutMs) reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  namespace?: string;
}

/** As the admin: Role `name` in `namespace` with `rules`, bound to `subject` by a RoleBinding of the same name. */
export async function grant(sim: Simulator, namespace: string, name: string, subject: Subject, rules: readonly object[]): Promise<void> {
  const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}`;
  for (const [path, body] of [
    [`${rbac}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name }, rules }],
    [`${rbac}/rolebindings`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects: [subject] }],
  ] as const) {
    const r = await call(sim, 'POST', path, { body });
    if (r.status !== 201) throw new Error(`create ${path}: ${r.status} ${r.text}`);
  }
}

/** As the admin: ServiceAccount `namespace/name` (with a Role of `rules` when given) and a token for it from the TokenRequest API. */
export async function serviceAccountToken(sim: Simulator, namespace: string, name: string, rules?: readonly object[]): Promise<string> {
  const created = await call(sim, 'POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } } });
  if (created.status !== 201 && created.status !== 409) throw new Error(`create ServiceAccount ${name}: ${created.status} ${created.text}`);
  if (rules) await grant(sim, namespace, name, { kind: 'ServiceAccount', name, namespace }, rules);
  const token = await call(sim, 'POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} } });
  if (token.status !== 201) throw new Error(`token for ${name}: ${token.status} ${token.text}`);
  return token.body.status.token as string;
}
