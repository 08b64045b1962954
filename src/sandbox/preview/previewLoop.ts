/**
 * The preview loop: `ensure()` makes a sandbox's preview answer. Cold, it applies the sandbox
 * (createSandbox: placement, plan, permission preflight, server-side apply with rollback) with its
 * one agent, connects to the agent (the `local` forks' tunnels and the preview's connections ride
 * that one connection), starts the Lease heartbeat, opens the local preview listener and waits
 * until the preview answers. Warm (everything already runs in this window, same spec), it
 * only checks health again, which takes well under a second.
 *
 * The loop owns every running sandbox (by context and sandbox name), and each running sandbox owns
 * its client, agent session, heartbeat and listener. A sandbox another front door runs is refused
 * unless the request takes it over (lifecycle/holder.ts); `release` gives one up without deleting it.
 */
import { createHash } from 'node:crypto';
import type { KubeClient } from '../../kube/api';
import { systemClock, type Clock } from '../../kube/clock';
import { ExplainedError } from '../../kube/errors';
import { silentLogger, type Logger } from '../../kube/logger';
import { Emitter, type Disposable } from '../../lifecycle';
import type { TunnelSessionOptions } from '../../tunnel/session';
import { sandboxAgentFor } from '../agentSecrets';
import { createSandbox } from '../lifecycle/create';
import type { DesiredObject } from '../desired';
import { LeaseHeartbeat, type HeartbeatOptions } from '../lifecycle/heartbeat';
import { deleteSandbox, type SandboxLocation } from '../lifecycle/lifecycle';
import { claimSandbox } from '../lifecycle/holder';
import { requestedSandbox } from '../names';
import { waitForHealth } from '../lifecycle/healthWait';
import { syncAgentSession, previewConnector, type AgentSessionSettings } from './previewAgent';
import { endpointRouting, endpointServes, openPreviewEndpoint } from './previewEndpoint';
import type { PreviewHostSettings } from './previewHost';
import { previewEntry, previewRouting, type HeaderRoutingInfo } from './previewRouting';
import { assertGatewayApi, sharedPreview, type SharedPreview } from './previewShare';
import { RunningSandbox, type RunningSummary } from './previewRunning';
import { lastLogErrors, sandboxPods, type SandboxPod } from './previewStatus';
import type { SandboxSpec } from '../spec';

export type PreviewStep = 'sandbox' | 'tunnel' | 'heartbeat' | 'listener' | 'health' | 'ready';

export interface PreviewProgress {
  step: PreviewStep;
  message: string;
}

export interface PreviewRequest {
  context: string;
  spec: SandboxSpec;
  developer: string;
  branch: string;
  /** The sandbox's name when asked for by name (e.g. "pr-42"); default `<developer>-<branch>`. */
  sandbox?: string;
  /** Who renews the Lease: the developer, the computer and the front door, e.g. "jane@laptop/cli". */
  holderIdentity: string;
  /** Run the sandbox here even while another front door runs it (that one stops). */
  takeOver?: boolean;
  /** The agent bundle (dist/relay-agent.js): every sandbox runs one agent. */
  agentScript: () => Promise<string>;
  relayImage?: string;
  /** With tether.preview.domain set: the shareable host (previewHost.ts previewHostSettings). */
  share?: PreviewHostSettings;
  sharedNamespace?: string;
  /** How long the preview may take to answer after the sandbox is applied (default 90 s). */
  healthTimeoutMs?: number;
  /** Also read the last error lines of the sandbox's pod logs (for tools). */
  includeLogs?: boolean;
  onProgress?: (progress: PreviewProgress) => void;
  signal?: AbortSignal;
}

export interface PreviewResult {
  url: string;
  sandbox: string;
  namespace: string;
  context: string;
  /** True when everything already ran and only health was checked. */
  warm: boolean;
  /** HTTP status of the health check. */
  status: number;
  pods: SandboxPod[];
  lastErrors: string[];
  /** Things to know about the plan (shared namespace, configs left in the baseline). */
  notes: string[];
  placementReason?: string;
  /** The shareable host's URL and a freshly signed link, when a preview domain is configured. */
  share?: SharedPreview;
  elapsedMs: number;
  /** Header routing: the baseline Service entered and the baggage every request carries. */
  routing?: HeaderRoutingInfo;
}

export interface PreviewLoopOptions {
  /** A client for `context`; the running sandbox owns and disposes it. */
  openClient: (context: string) => KubeClient;
  logger?: Logger;
  /** Overrides for tunnel sessions (tests shorten backoffs). */
  tunnel?: Partial<TunnelSessionOptions>;
  heartbeat?: HeartbeatOptions;
  leaseDurationSeconds?: number;
  /** Poll interval of the agents' self-cleanup, ms (tests shorten it; default 30 s). */
  cleanupPollMs?: number;
  /** How long a preview connection waits for an agent that is not reachable (default 15 s). */
  previewWaitMs?: number;
  /** The time of the Lease's renewals, of whether another holder is alive, and of the signed links' expiry (the front door's). */
  clock?: Clock;
}

function hashSpec(spec: SandboxSpec, share?: PreviewHostSettings): string {
  return createHash('sha256').update(JSON.stringify(share ? [spec, share] : spec)).digest('hex');
}

/** A running sandbox stopped here because its Lease went away or another front door took it over. */
export interface SandboxLost {
  context: string;
  sandbox: string;
  why: string;
  /** The holder that took it over. */
  takenOverBy?: string;
}

export function previewKey(context: string, sandbox: string): string {
  return `${context}/${sandbox}`;
}

export class PreviewLoop implements Disposable {
  private readonly running = new Map<string, RunningSandbox>();
  /** The link-signing key of each sandbox with a shareable host, by previewKey. */
  private readonly shareKeys = new Map<string, string>();
  private readonly inflight = new Map<string, Promise<PreviewResult>>();
  private readonly changes = new Emitter<void>();
  /** A sandbox started, stopped or changed state. */
  readonly onDidChange = this.changes.event;
  private readonly lost = new Emitter<SandboxLost>();
  /** A running sandbox's Lease was deleted or taken over (deleted elsewhere, or cleaned up after its TTL): it was stopped here. */
  readonly onDidLose = this.lost.event;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private disposed = false;

  constructor(private readonly options: PreviewLoopOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
  }

  private get agentSettings(): AgentSessionSettings {
    return { logger: this.logger, tunnel: this.options.tunnel, previewWaitMs: this.options.previewWaitMs };
  }

  /** The running sandboxes of this window. */
  get all(): RunningSandbox[] {
    return [...this.running.values()];
  }

  get(context: string, sandbox: string): RunningSandbox | undefined {
    return this.running.get(previewKey(context, sandbox));
  }

  summaries(): RunningSummary[] {
    return this.all.map((r) => r.summary());
  }

  /** Makes the preview of `request.spec` answer and returns its URL. Concurrent calls for one sandbox share the work. */
  ensure(request: PreviewRequest): Promise<PreviewResult> {
    if (this.disposed) return Promise.reject(new Error('Tether is shutting down'));
    const key = previewKey(request.context, requestedSandbox(request));
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const work = this.ensureNow(key, request).finally(() => this.inflight.delete(key));
    this.inflight.set(key, work);
    return work;
  }

  private async ensureNow(key: string, request: PreviewRequest): Promise<PreviewResult> {
    const started = this.clock.now();
    const progress = request.onProgress ?? (() => undefined);
    const specHash = hashSpec(request.spec, request.share);
    const existing = this.running.get(key);
    if (existing && existing.isHealthy && existing.specHash === specHash && existing.listener) {
      progress({ step: 'health', message: 'Checking the preview…' });
      const health = await existing.listener.check({ timeoutMs: 2_000, signal: request.signal });
      if (health.ok) {
        existing.localProblem = undefined;
        return this.answer(existing, request, health.status, true, started, []);
      }
      this.logger.info(`[preview] ${existing.plan.sandbox}: the running preview does not answer (${existing.listener.explain(health).message}); bringing it up again`);
    }
    if (existing && (!existing.isHealthy || existing.heartbeatState === 'lost')) {
      this.drop(key);
    }
    return this.bringUp(key, request, specHash, started);
  }

  private async bringUp(key: string, request: PreviewRequest, specHash: string, started: number): Promise<PreviewResult> {
    const progress = request.onProgress ?? (() => undefined);
    const { signal, spec } = request;
    let running = this.running.get(key);
    const fresh = !running;
    const client = running?.client ?? this.options.openClient(request.context);
    const sandbox = requestedSandbox(request);
    try {
      // Running here already means holding it; otherwise another front door may hold it.
      if (!running) {
        const claim = await claimSandbox(client, { sandbox, sharedNamespace: request.sharedNamespace ?? spec.baseline.namespace, holderIdentity: request.holderIdentity, takeOver: request.takeOver, now: this.clock.now(), signal });
        if (claim.takenFrom) this.logger.info(`[preview] ${sandbox}: taken over from ${claim.takenFrom}`);
      }
      const share = request.share && spec.preview ? request.share : undefined;
      if (share) await assertGatewayApi(client, share, signal);
      let token: string | undefined;
      const agent = sandboxAgentFor(client, {
        agentScript: await request.agentScript(),
        image: request.relayImage,
        share,
        cleanupPollMs: this.options.cleanupPollMs,
        onToken: (t) => (token = t),
        onKey: (k) => this.shareKeys.set(key, k),
      });
      progress({ step: 'sandbox', message: `Applying sandbox "${sandbox}"…` });
      const created = await createSandbox(
        client,
        { spec, developer: request.developer, branch: request.branch, sandbox: request.sandbox, holderIdentity: request.holderIdentity, sharedNamespace: request.sharedNamespace, agent, leaseDurationSeconds: this.options.leaseDurationSeconds, now: () => new Date(this.clock.now()) },
        {
          signal,
          onProgress: (p) => {
            if (p.phase === 'applying') progress({ step: 'sandbox', message: `Applying ${p.object.kind} ${p.object.name} (${p.index + 1}/${p.total})…` });
          },
        },
      );
      const plan = created.plan;
      if (!plan.entry) {
        throw new ExplainedError({
          reason: 'Invalid',
          what: `Preview sandbox "${plan.sandbox}"`,
          why: 'tether.yaml has no "preview" section, so Tether does not know which Service the preview enters through',
          remedy: 'Add `preview: { service: <the Service of your app> }` to tether.yaml',
        });
      }
      if (this.disposed) throw Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
      if (!running) {
        running = new RunningSandbox(key, request.context, client, plan, specHash);
        this.running.set(key, running);
        const owned = running;
        owned.onDidChange(() => {
          if (owned.heartbeatState === 'lost' && this.running.get(key) === owned && !this.inflight.has(key)) {
            // Nothing left to renew: the tunnels and the listener would only fail from now on.
            this.drop(key);
            const lost: SandboxLost = { context: owned.context, sandbox: owned.plan.sandbox, why: owned.recentProblems.at(-1) ?? 'its Lease is gone' };
            if (owned.takenOverBy) lost.takenOverBy = owned.takenOverBy;
            this.lost.fire(lost);
            return;
          }
          this.changes.fire();
        });
      } else {
        running.plan = plan;
        running.specHash = specHash;
      }
      if (plan.agent) progress({ step: 'tunnel', message: plan.agent.localForks.length > 0 ? `Starting the tunnel for ${plan.agent.localForks.join(', ')}…` : 'Connecting to the sandbox\'s agent…' });
      syncAgentSession(running, plan, spec, token, this.agentSettings);
      if (!running.heartbeat?.isRunning) {
        progress({ step: 'heartbeat', message: 'Starting the Lease heartbeat…' });
        const lease = plan.objects.find((o) => o.kind === 'Lease') as DesiredObject;
        running.setHeartbeat(new LeaseHeartbeat(client, lease, { clock: this.clock, ...this.options.heartbeat }).start());
      }
      const wanted = { routing: previewRouting(spec), entry: previewEntry(spec, plan)!, sandbox: plan.sandbox, path: plan.entry.path };
      const listener = running.listener;
      if (!endpointServes(listener, wanted, running.agent?.session)) {
        progress({ step: 'listener', message: wanted.routing === 'header' ? 'Opening the local preview proxy…' : 'Opening the local preview port…' });
        // A changed preview section keeps the URL's port when it can.
        const previousPort = listener?.isOpen ? listener.port : undefined;
        listener?.dispose();
        const connector = previewConnector(running, wanted.entry, this.agentSettings);
        const opened = await openPreviewEndpoint({ client, ...wanted, connector, localPort: previousPort }).catch(() => openPreviewEndpoint({ client, ...wanted, connector }));
        running.setListener(opened);
      }
      // Local forks need the agent to be reached at all; the preview's own connections wait for it by themselves.
      const session = running.agent?.session;
      if (session && running.tunnels.size > 0 && session.state.phase !== 'connected') {
        progress({ step: 'tunnel', message: `Connecting the tunnel for ${[...running.tunnels.keys()].join(', ')}…` });
        await session.whenConnected(request.healthTimeoutMs ?? 90_000, signal);
      }
      progress({ step: 'health', message: `Waiting for ${running.listener!.url} to answer…` });
      const status = await waitForHealth(running, {
        timeoutMs: request.healthTimeoutMs ?? 90_000,
        signal: request.signal,
        onWaiting: (error) => progress({ step: 'health', message: `Waiting for the preview: ${error.why}` }),
      });
      this.changes.fire();
      return await this.answer(running, request, status, false, started, plan.notes, created.placementReason);
    } catch (err) {
      if (fresh) {
        if (running) this.drop(key);
        else client.dispose();
      }
      throw err;
    }
  }

  private async answer(running: RunningSandbox, request: PreviewRequest, status: number, warm: boolean, started: number, notes: string[], placementReason?: string): Promise<PreviewResult> {
    const progress = request.onProgress ?? (() => undefined);
    const { pods, objects } = await sandboxPods(running.client, running.plan.namespace, running.plan.sandbox, request.signal);
    const logErrors = request.includeLogs ? await lastLogErrors(running.client, running.plan.namespace, objects, { signal: request.signal }) : [];
    progress({ step: 'ready', message: `Preview ready at ${running.listener!.url}` });
    const result: PreviewResult = {
      url: running.listener!.url,
      sandbox: running.plan.sandbox,
      namespace: running.plan.namespace,
      context: running.context,
      warm,
      status,
      pods,
      lastErrors: [...running.recentProblems, ...logErrors].slice(-20),
      notes,
      elapsedMs: this.clock.now() - started,
    };
    if (placementReason) result.placementReason = placementReason;
    const shareKey = this.shareKeys.get(previewKey(running.context, running.plan.sandbox));
    if (request.share && running.plan.share && running.plan.entry && shareKey) result.share = sharedPreview(request.share, running.plan.sandbox, running.plan.share.origin, running.plan.entry.path, shareKey, this.clock.now());
    const routing = endpointRouting(running.listener!);
    if (routing) result.routing = routing;
    return result;
  }

  /** Stops what runs locally for the sandbox (tunnels, heartbeat, listener); cluster objects stay. */
  stop(context: string, sandbox: string): boolean {
    return this.drop(previewKey(context, sandbox));
  }

  /**
   * Stops the sandbox here and gives up holding it, so another front door may run it without
   * taking it over; it stays in the cluster until its TTL runs out (or it is deleted).
   */
  async release(context: string, sandbox: string, signal?: AbortSignal): Promise<boolean> {
    const key = previewKey(context, sandbox);
    const running = this.running.get(key);
    if (!running) return false;
    const heartbeat = running.heartbeat;
    // The client goes with the running sandbox; the release needs it a moment longer.
    running.keepClient();
    this.drop(key);
    try {
      if (heartbeat && running.heartbeatState !== 'lost') await heartbeat.release(signal);
    } finally {
      running.client.dispose();
    }
    return true;
  }

  /** Releases every sandbox running here (a front door that exits). */
  async releaseAll(signal?: AbortSignal): Promise<void> {
    await Promise.all(this.all.map((r) => this.release(r.context, r.plan.sandbox, signal).catch((err: unknown) => this.logger.warn(`[preview] releasing ${r.plan.sandbox}: ${err instanceof Error ? err.message : String(err)}`))));
  }

  private drop(key: string): boolean {
    const running = this.running.get(key);
    if (!running) return false;
    this.running.delete(key);
    this.shareKeys.delete(key);
    running.dispose();
    this.changes.fire();
    return true;
  }

  /**
   * Stops the sandbox locally, then deletes every object it has in the cluster, at once. Views
   * hear of it when it is done, and also when it failed: what is left is then what they show.
   */
  async delete(client: KubeClient, context: string, where: SandboxLocation, signal?: AbortSignal): Promise<string[]> {
    this.stop(context, where.sandbox);
    try {
      const deleted = await deleteSandbox(client, where, { signal });
      return deleted.map((d) => `${d.kind}/${d.name}`);
    } finally {
      if (!this.disposed) this.changes.fire();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const key of [...this.running.keys()]) this.drop(key);
    this.changes.dispose();
    this.lost.dispose();
  }
}

