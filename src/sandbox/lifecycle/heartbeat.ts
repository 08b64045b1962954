/**
 * The Lease heartbeat: while the editor runs it renews the sandbox's Lease, so the in-cluster
 * cleanup knows the sandbox is in use. Each renewal first reads the Lease; if it is gone or no
 * longer this sandbox's, or another front door took it over (holder.ts), the heartbeat stops and
 * says so instead of bringing it back. A renewal that races with someone else's change fails and is
 * retried at the next beat. `release()` gives the sandbox up without deleting it: the holder is
 * cleared, so any front door may run it at once, and its TTL counts from the last renewal.
 */
import type { KubeClient } from '../../kube/api';
import { systemClock, type Clock } from '../../kube/clock';
import { ExplainedError, isCancellation } from '../../kube/errors';
import { kinds, resourcePath } from '../../kube/kinds';
import type { KubeObject } from '../../kube/types';
import { Emitter, type Disposable } from '../../lifecycle';
import type { DesiredObject } from '../desired';
import { belongsTo, fieldManager, sandboxLabel } from '../labels';
import { microTime } from './lease';

export type HeartbeatEvent =
  | { type: 'renewed'; at: Date }
  /** A renewal failed (network, API server); the heartbeat keeps trying. */
  | { type: 'failed'; error: unknown }
  /** The Lease was deleted or taken over: the heartbeat has stopped. */
  | { type: 'lost'; why: string; takenOverBy?: string };

export interface HeartbeatOptions {
  /** Between renewals; default a third of leaseDurationSeconds. */
  intervalMs?: number;
  clock?: Clock;
}

/**
 * Clears the holder of a sandbox's Lease (`lease` as planned, with its holderIdentity) when it is
 * still that holder, so another front door may run the sandbox without taking it over; a Lease
 * gone or held by someone else is left as it is.
 */
export async function releaseLease(client: KubeClient, lease: { metadata: DesiredObject['metadata']; spec?: unknown }, signal?: AbortSignal): Promise<void> {
  const { namespace, name } = lease.metadata;
  const mine = (lease.spec as { holderIdentity?: string } | undefined)?.holderIdentity;
  let current: KubeObject;
  try {
    current = await client.get<KubeObject>(kinds.Lease, namespace, name, signal);
  } catch (err) {
    if (err instanceof ExplainedError && err.reason === 'NotFound') return;
    throw err;
  }
  if ((current.spec as { holderIdentity?: string } | undefined)?.holderIdentity !== mine) return;
  await client.request<KubeObject>({
    what: `Release the Lease of sandbox "${lease.metadata.labels?.[sandboxLabel] ?? name}"`,
    method: 'PATCH',
    path: resourcePath(kinds.Lease, namespace, name),
    query: { fieldManager },
    contentType: 'application/merge-patch+json',
    // The uid and resourceVersion make it fail rather than clear a holder that changed since the read.
    body: { metadata: { uid: current.metadata.uid, resourceVersion: current.metadata.resourceVersion }, spec: { holderIdentity: null } },
    signal,
  });
}

export class LeaseHeartbeat implements Disposable {
  private readonly emitter = new Emitter<HeartbeatEvent>();
  readonly onEvent = this.emitter.event;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private timer: unknown;
  private inflight: AbortController | undefined;
  private stopped = false;

  /** `lease` is the planned Lease (plan.objects); renewals set its renewTime. */
  constructor(
    private readonly client: KubeClient,
    private readonly lease: DesiredObject,
    options: HeartbeatOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    const duration = (lease.spec as { leaseDurationSeconds?: number } | undefined)?.leaseDurationSeconds ?? 60;
    this.intervalMs = options.intervalMs ?? Math.max(1000, (duration * 1000) / 3);
  }

  get isRunning(): boolean {
    return !this.stopped;
  }

  /** Renews now, then every interval until disposed or lost. */
  start(): this {
    void this.beat();
    return this;
  }

  /**
   * One renewal. Resolves to false when the Lease is lost. A write that meets a newer
   * resourceVersion (the sandbox was applied again between the read and the patch) reads again.
   */
  async renew(signal?: AbortSignal): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.renewOnce(signal);
      } catch (err) {
        if (!(err instanceof ExplainedError && err.reason === 'Conflict') || attempt >= 3) throw err;
      }
    }
  }

  private async renewOnce(signal?: AbortSignal): Promise<boolean> {
    const { namespace, name } = this.lease.metadata;
    const sandbox = this.lease.metadata.labels[sandboxLabel];
    let current: KubeObject;
    try {
      current = await this.client.get<KubeObject>(kinds.Lease, namespace, name, signal);
    } catch (err) {
      if (err instanceof ExplainedError && err.reason === 'NotFound') return this.lose(`the Lease "${name}" of sandbox "${sandbox}" was deleted (the sandbox was deleted or cleaned up after its TTL)`);
      throw err;
    }
    if (!belongsTo(current, sandbox) || current.metadata.deletionTimestamp) return this.lose(`the Lease "${name}" no longer belongs to sandbox "${sandbox}" or is being deleted`);
    const at = new Date(this.clock.now());
    const spec = this.lease.spec as { holderIdentity?: string } | undefined;
    const holder = (current.spec as { holderIdentity?: string } | undefined)?.holderIdentity;
    // Someone else applied the sandbox as its holder: it runs there now; a released Lease (no holder) is taken back.
    if (holder && spec?.holderIdentity && holder !== spec.holderIdentity) return this.lose(`${holder} took sandbox "${sandbox}" over`, holder);
    // A merge patch, not an apply: apply would bring back a Lease deleted in between. The uid and
    // resourceVersion make it fail instead of touching a Lease replaced or changed since the read.
    try {
      await this.client.request<KubeObject>({
        what: `Renew the Lease of sandbox "${sandbox}"`,
        method: 'PATCH',
        path: resourcePath(kinds.Lease, namespace, name),
        query: { fieldManager },
        contentType: 'application/merge-patch+json',
        body: { metadata: { uid: current.metadata.uid, resourceVersion: current.metadata.resourceVersion }, spec: { holderIdentity: spec?.holderIdentity, renewTime: microTime(at) } },
        signal,
      });
    } catch (err) {
      if (err instanceof ExplainedError && err.reason === 'NotFound') return this.lose(`the Lease "${name}" of sandbox "${sandbox}" was deleted (the sandbox was deleted or cleaned up after its TTL)`);
      throw err;
    }
    this.emitter.fire({ type: 'renewed', at });
    return true;
  }

  private lose(why: string, takenOverBy?: string): false {
    this.stopTimer();
    this.stopped = true;
    this.emitter.fire(takenOverBy ? { type: 'lost', why, takenOverBy } : { type: 'lost', why });
    return false;
  }

  /**
   * Stops renewing and clears the holder, when it is still this one, so another front door may run
   * the sandbox without taking it over. The sandbox stays until its TTL runs out after the last renewal.
   */
  async release(signal?: AbortSignal): Promise<void> {
    this.dispose();
    await releaseLease(this.client, this.lease, signal);
  }

  private async beat(): Promise<void> {
    if (this.stopped) return;
    const controller = new AbortController();
    this.inflight = controller;
    try {
      if (!(await this.renew(controller.signal))) return;
    } catch (err) {
      if (this.stopped || isCancellation(err)) return;
      this.emitter.fire({ type: 'failed', error: err });
    } finally {
      if (this.inflight === controller) this.inflight = undefined;
    }
    if (!this.stopped) this.timer = this.clock.setTimeout(() => void this.beat(), this.intervalMs);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stopped = true;
    this.stopTimer();
    this.inflight?.abort();
    this.emitter.dispose();
  }
}
