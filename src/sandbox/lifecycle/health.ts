/**
 * The preview's HTTP health check: one GET with a timeout, and when it fails, why in plain words
 * (connection refused, no answer in time, a 5xx with its status, or what the preview listener knew:
 * no ready pod behind the entry Service and why). Any status below 500 counts as answering: a 404 on
 * "/" still proves the service is up.
 */
import { request } from 'node:http';
import { systemClock, type Clock } from '../../kube/clock';
import { ExplainedError } from '../../kube/errors';

export type HealthFailure =
  | { kind: 'refused'; detail: string }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'server-error'; status: number; statusText: string; body: string }
  | { kind: 'reset'; detail: string }
  /** The listener could not reach the entry (no ready pod, port-forward refused): its own explanation. */
  | { kind: 'entry'; error: ExplainedError };

export type HealthResult = { ok: true; status: number; ms: number } | { ok: false; failure: HealthFailure; ms: number };

export interface HealthOptions {
  /** For the whole exchange (default 5 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Time and the timeout's timer (default the system's). */
  clock?: Clock;
}

/** One GET of `url`; never throws except on cancellation. */
export function checkHealth(url: string, options: HealthOptions = {}): Promise<HealthResult> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const ms = () => clock.now() - started;
  return new Promise<HealthResult>((resolve, reject) => {
    let settled = false;
    const settle = (result: HealthResult) => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(result);
    };
    const req = request(url, { method: 'GET', agent: false, headers: { 'user-agent': 'tether-preview-health', connection: 'close' } }, (res) => {
      const status = res.statusCode ?? 0;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 2048) body += chunk;
      });
      const done = () => {
        if (status >= 500) settle({ ok: false, failure: { kind: 'server-error', status, statusText: res.statusMessage ?? '', body: body.slice(0, 500) }, ms: ms() });
        else settle({ ok: true, status, ms: ms() });
      };
      res.once('end', done);
      res.once('error', done);
      res.once('close', done);
    });
    const timer = clock.setTimeout(() => settle({ ok: false, failure: { kind: 'timeout', timeoutMs }, ms: ms() }), timeoutMs);
    const onAbort = () => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      req.destroy();
      reject(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }));
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') settle({ ok: false, failure: { kind: 'refused', detail: err.message }, ms: ms() });
      else settle({ ok: false, failure: { kind: 'reset', detail: err.message }, ms: ms() });
    });
    req.end();
  });
}

/** A failed health check as an ExplainedError: what, why, the next step. */
export function explainHealth(url: string, failure: HealthFailure): ExplainedError {
  const what = `Preview ${url}`;
  switch (failure.kind) {
    case 'entry':
      return new ExplainedError({ ...failure.error.toExplanation(), what }, { cause: failure.error });
    case 'refused':
      return new ExplainedError({
        reason: 'Unreachable',
        what,
        why: `the connection was refused: nothing listens on ${new URL(url).host} (the preview listener is closed)`,
        remedy: '',
        step: { code: 'preview' },
      });
    case 'timeout':
      return new ExplainedError({
        reason: 'Timeout',
        what,
        why: `the service did not answer within ${Math.round(failure.timeoutMs / 100) / 10} s`,
        remedy: 'Check that the service answers quickly on its preview path (its logs may say why it hangs), then try again',
      });
    case 'server-error': {
      const body = failure.body.trim().replace(/\s+/g, ' ').slice(0, 200);
      return new ExplainedError({
        reason: 'ServerError',
        what,
        why: `the service answered HTTP ${failure.status}${failure.statusText ? ` ${failure.statusText}` : ''}${body ? `: ${body}` : ''}`,
        remedy: 'The service is up but fails on its preview path, and its logs say why',
        step: { code: 'showLogs' },
        status: failure.status,
      });
    }
    case 'reset':
      return new ExplainedError({
        reason: 'Unreachable',
        what,
        why: `the connection was closed before an answer arrived (${failure.detail})`,
        remedy: 'The service may have crashed or not listen on the Service\'s target port; check its logs, then try again',
      });
  }
}
