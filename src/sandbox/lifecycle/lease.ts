/**
 * The sandbox Lease: the heartbeat the editor renews, and the pure arithmetic of when a sandbox
 * has lapsed. The in-cluster cleanup bundles this file too, so it imports nothing but labels.
 */
import { baselineAnnotation, developerAnnotation, placementAnnotation, ttlAnnotation } from '../labels';

export interface LeaseObject {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string>; uid?: string };
  spec: { holderIdentity: string; leaseDurationSeconds: number; renewTime: string; acquireTime?: string };
  [key: string]: unknown;
}

export interface LeaseInput {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  holderIdentity: string;
  developer: string;
  baselineNamespace: string;
  placement: 'namespace' | 'shared';
  ttlSeconds: number;
  leaseDurationSeconds: number;
  renewTime: Date;
}

/** MicroTime as the API server writes it: RFC 3339 with microseconds, UTC. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function leaseObject(input: LeaseInput): LeaseObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: input.name,
      namespace: input.namespace,
      labels: { ...input.labels },
      annotations: {
        [ttlAnnotation]: String(input.ttlSeconds),
        [placementAnnotation]: input.placement,
        [baselineAnnotation]: input.baselineNamespace,
        [developerAnnotation]: input.developer,
      },
    },
    spec: {
      holderIdentity: input.holderIdentity,
      leaseDurationSeconds: input.leaseDurationSeconds,
      renewTime: microTime(input.renewTime),
      acquireTime: microTime(input.renewTime),
    },
  };
}

/** The parts of a Lease the timing reads; accepts any object shaped like one. */
export interface LeaseLike {
  metadata: { annotations?: Record<string, string> };
  spec?: unknown;
}

export interface LeaseTiming {
  /** Last renewal (ms since epoch); NaN when the Lease has no readable renewTime. */
  renewedAt: number;
  ttlSeconds: number;
  leaseDurationSeconds: number;
  /** When the sandbox may be cleaned up: renewal + TTL. */
  expiresAt: number;
  holderIdentity?: string;
}

export function leaseTiming(lease: LeaseLike, fallbackTtlSeconds: number): LeaseTiming {
  const spec = (lease.spec ?? {}) as { renewTime?: unknown; acquireTime?: unknown; leaseDurationSeconds?: unknown; holderIdentity?: unknown };
  const stamp = typeof spec.renewTime === 'string' ? spec.renewTime : typeof spec.acquireTime === 'string' ? spec.acquireTime : '';
  const renewedAt = stamp ? Date.parse(stamp) : NaN;
  const annotated = Number(lease.metadata.annotations?.[ttlAnnotation]);
  const ttlSeconds = Number.isFinite(annotated) && annotated > 0 ? annotated : fallbackTtlSeconds;
  const leaseDurationSeconds = typeof spec.leaseDurationSeconds === 'number' ? spec.leaseDurationSeconds : 0;
  const timing: LeaseTiming = { renewedAt, ttlSeconds, leaseDurationSeconds, expiresAt: renewedAt + ttlSeconds * 1000 };
  if (typeof spec.holderIdentity === 'string') timing.holderIdentity = spec.holderIdentity;
  return timing;
}

/** Lapsed past the TTL: the sandbox is an orphan and may be deleted. A Lease never renewed counts as lapsed. */
export function hasLapsed(timing: LeaseTiming, now: number): boolean {
  return !Number.isFinite(timing.renewedAt) || now >= timing.expiresAt;
}

/** Its holder stopped renewing (no renewal within leaseDurationSeconds) but the TTL has not run out. */
export function isStale(timing: LeaseTiming, now: number): boolean {
  return timing.leaseDurationSeconds > 0 && now >= timing.renewedAt + timing.leaseDurationSeconds * 1000 && !hasLapsed(timing, now);
}
