/**
 * Probes and lifecycle handlers (core/validation: validateProbe, validateHandler and the
 * liveness/readiness/startup rules).
 */
import { forbidden, invalid, notSupported, required, type Report } from './fieldErrors';
import type { FieldPath } from './fieldPath';
import { IS_NEGATIVE, isHTTPHeaderName, isValidPortName, isValidPortNum } from './names';
import { arr, int, isObj, obj, objs, s, type Obj } from './read';
import type { ServerFeatures } from './versions';

export function validatePortNumOrName(r: Report, port: unknown, path: FieldPath): void {
  if (typeof port === 'number') {
    for (const m of isValidPortNum(port)) r.add(invalid(path, port, m));
  } else if (typeof port === 'string') {
    for (const m of isValidPortName(port)) r.add(invalid(path, port, m));
  }
}

type HandlerKind = 'exec' | 'httpGet' | 'tcpSocket' | 'grpc' | 'sleep';

export interface HandlerContext {
  gracePeriod: number | undefined;
  features: ServerFeatures;
}

function validateHandler(r: Report, handler: Obj, kinds: readonly HandlerKind[], ctx: HandlerContext, path: FieldPath): void {
  let count = 0;
  for (const kind of kinds) {
    const h = handler[kind];
    if (!isObj(h)) continue;
    if (kind === 'sleep' && !ctx.features.sleepAction) continue; // dropped by a server without PodLifecycleSleepAction
    const p = path.child(kind);
    if (count > 0) {
      r.add(forbidden(p, 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    switch (kind) {
      case 'exec':
        if (arr(h.command).length === 0) r.add(required(p.child('command')));
        break;
      case 'httpGet':
        if (!s(h.path)) r.add(required(p.child('path')));
        validatePortNumOrName(r, h.port, p.child('port'));
        if (h.scheme !== 'HTTP' && h.scheme !== 'HTTPS') r.add(notSupported(p.child('scheme'), s(h.scheme), ['HTTP', 'HTTPS']));
        for (const [header] of objs(h.httpHeaders)) for (const m of isHTTPHeaderName(s(header.name))) r.add(invalid(p.child('httpHeaders'), s(header.name), m));
        break;
      case 'tcpSocket':
        validatePortNumOrName(r, h.port, p.child('port'));
        break;
      case 'grpc': {
        const port = int(h.port) ?? 0;
        for (const m of isValidPortNum(port)) r.add(invalid(p.child('port'), port, m));
        break;
      }
      case 'sleep': {
        const seconds = int(h.seconds) ?? 0;
        const grace = ctx.gracePeriod;
        if (grace === undefined) break;
        if (ctx.features.sleepZero) {
          if (seconds < 0 || seconds > grace) r.add(invalid(p, seconds, `must be non-negative and less than terminationGracePeriodSeconds (${grace})`));
        } else if (seconds <= 0 || seconds > grace) {
          r.add(invalid(p, seconds, `must be greater than 0 and less than terminationGracePeriodSeconds (${grace}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`));
        }
        break;
      }
    }
  }
  if (count === 0) r.add(required(path, 'must specify a handler type'));
}

function nonNegative(r: Report, v: unknown, path: FieldPath): void {
  const n = int(v);
  if (n !== undefined && n < 0) r.add(invalid(path, n, IS_NEGATIVE));
}

export type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

export function validateProbe(r: Report, probe: unknown, kind: ProbeKind, ctx: HandlerContext, path: FieldPath): void {
  const p = obj(probe);
  if (!p) return;
  validateHandler(r, p, ['exec', 'httpGet', 'tcpSocket', 'grpc'], ctx, path);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) nonNegative(r, p[f], path.child(f));
  const grace = int(p.terminationGracePeriodSeconds);
  if (grace !== undefined && grace <= 0) r.add(invalid(path.child('terminationGracePeriodSeconds'), grace, 'must be greater than 0'));
  if (kind === 'readinessProbe' && p.terminationGracePeriodSeconds !== undefined && p.terminationGracePeriodSeconds !== null) {
    r.add(invalid(path.child('terminationGracePeriodSeconds'), grace ?? 0, 'must not be set for readinessProbes'));
  }
  const success = int(p.successThreshold);
  if (kind !== 'readinessProbe' && success !== undefined && success !== 1) r.add(invalid(path.child('successThreshold'), success, 'must be 1'));
}

export function validateLifecycle(r: Report, lifecycle: unknown, ctx: HandlerContext, path: FieldPath): void {
  const l = obj(lifecycle);
  if (!l) return;
  for (const hook of ['postStart', 'preStop']) {
    const h = obj(l[hook]);
    if (h) validateHandler(r, h, ['exec', 'httpGet', 'tcpSocket', 'sleep'], ctx, path.child(hook));
  }
}

/** The grace period a pod spec gives its handlers (after defaulting), checked for its own range elsewhere. */
export function gracePeriodOf(spec: Obj): number | undefined {
  return int(spec.terminationGracePeriodSeconds);
}
