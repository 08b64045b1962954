/**
 * Waiting until a running sandbox's preview answers: health checks through its listener, quickly
 * at first and then every half second, until the deadline. The failure that ends the wait is
 * explained; when the relay could not reach the developer's local process, that is the reason given.
 */
import { ExplainedError } from '../../kube/errors';
import type { HealthResult } from './health';
import type { RunningSandbox } from '../preview/previewRunning';

export interface HealthWaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called now and then while the preview does not answer yet, with why. */
  onWaiting?: (error: ExplainedError) => void;
}

function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A failed check explained; a broken connection while the local process refuses connections names that instead. */
export function explainPreviewFailure(running: RunningSandbox, health: Extract<HealthResult, { ok: false }>): ExplainedError {
  const local = running.localProblem;
  const listener = running.listener!;
  const failure = health.failure;
  const transport = failure.kind === 'reset' || failure.kind === 'timeout' || (failure.kind === 'entry' && failure.error.what.startsWith('Port-forward'));
  if (local && transport) {
    return new ExplainedError({
      reason: 'Unreachable',
      what: `Preview ${listener.url}`,
      why: `the request reached the sandbox's relay, but the relay could not reach your local ${local.workload} at ${local.target} (${local.message})`,
      remedy: `Start ${local.workload} on this computer so it listens on ${local.target}`,
      step: { code: 'preview' },
    });
  }
  return listener.explain(health);
}

/** Resolves with the HTTP status once the preview answers; throws the explained failure at the deadline. */
export async function waitForHealth(running: RunningSandbox, options: HealthWaitOptions): Promise<number> {
  const listener = running.listener!;
  const deadline = Date.now() + options.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const health = await listener.check({ timeoutMs: Math.min(10_000, Math.max(1_000, deadline - Date.now())), signal: options.signal });
    if (health.ok) {
      running.localProblem = undefined;
      return health.status;
    }
    const error = explainPreviewFailure(running, health);
    if (Date.now() >= deadline) {
      running.note(error.message);
      throw error;
    }
    if (attempt % 8 === 7) options.onWaiting?.(error);
    await sleep(attempt < 20 ? 100 : 500, options.signal);
  }
}
