/**
 * A sandbox brought up and left running, the CI case: image and env forks only (nothing to tunnel),
 * applied like the editor's (same labels, Lease, placement, permission preflight, its one agent),
 * its forks rolled out and ready, a signed shareable link when a preview domain is set, and then
 * released: it stays until `down` or until its TTL runs out after this renewal, when its agent
 * removes it. Another front door running it is refused unless taken over.
 */
import type { KubeClient } from '../kube/api';
import { sleep } from '../kube/clock';
import { ExplainedError } from '../kube/errors';
import { kinds } from '../kube/kinds';
import type { KubeObject } from '../kube/types';
import { inClusterPreviewUrl } from '../sandbox/checks/checks';
import type { DesiredObject } from '../sandbox/desired';
import { sandboxSelector } from '../sandbox/labels';
import { createSandbox } from '../sandbox/lifecycle/create';
import { releaseLease } from '../sandbox/lifecycle/heartbeat';
import { claimSandbox } from '../sandbox/lifecycle/holder';
import type { SandboxPlan } from '../sandbox/plan';
import { previewHostSettings } from '../sandbox/preview/previewHost';
import { sandboxAgentFor } from '../sandbox/agentSecrets';
import { assertGatewayApi, sharedPreview, type SharedPreview } from '../sandbox/preview/previewShare';
import { sandboxPods, type SandboxPod } from '../sandbox/preview/previewStatus';
import type { SandboxSpec } from '../sandbox/spec';
import type { EngineDeps } from './engine';
import { sandboxFor } from './preview';
import type { Workspace } from './workspace';

export interface UpAsk {
  context: string;
  spec: SandboxSpec;
  workspace: Workspace;
  /** By name (e.g. "pr-42") instead of `<developer>-<branch>`. */
  sandbox?: string;
  takeOver?: boolean;
  /** Sign a shareable link (needs the preview domain setting). */
  share?: boolean;
  /** How long the forks may take to roll out (default 5 min). */
  readyTimeoutMs?: number;
  pollMs?: number;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

export interface UpResult {
  sandbox: string;
  namespace: string;
  context: string;
  placementReason: string;
  notes: string[];
  pods: SandboxPod[];
  /** The preview as pods inside the cluster reach it (what checks get as TETHER_PREVIEW_URL). */
  inClusterUrl?: string;
  /** The shareable host's URL and, with `share`, a freshly signed link. */
  share?: Partial<SharedPreview> & { url: string };
  ttlSeconds: number;
  /** When the TTL runs out unless the sandbox is brought up again (ISO time). */
  expiresAt: string;
  elapsedMs: number;
}

interface WorkloadStatus extends KubeObject {
  spec?: { replicas?: number };
  status?: { observedGeneration?: number; readyReplicas?: number; updatedReplicas?: number; replicas?: number };
}

/** Rolled out: every workload of the sandbox has its replicas updated and ready. */
function rolledOut(workloads: readonly WorkloadStatus[]): boolean {
  return workloads.every((w) => {
    const want = w.spec?.replicas ?? 1;
    const s = w.status ?? {};
    return (s.observedGeneration ?? 0) >= ((w.metadata as { generation?: number }).generation ?? 0) && (s.updatedReplicas ?? 0) >= want && (s.readyReplicas ?? 0) >= want && (s.replicas ?? 0) <= want;
  });
}

/** A pod that keeps failing (its image cannot be pulled, it crashes on start): waiting will not help. */
function stuck(pods: readonly SandboxPod[]): SandboxPod[] {
  return pods.filter((p) => !p.ready && /BackOff|InvalidImageName|CreateContainerConfigError/.test(p.problem ?? ''));
}

async function waitForRollout(client: KubeClient, plan: SandboxPlan, ask: UpAsk, deps: EngineDeps): Promise<SandboxPod[]> {
  const clock = deps.host.clock;
  const deadline = clock.now() + (ask.readyTimeoutMs ?? 300_000);
  const labelSelector = sandboxSelector(plan.sandbox);
  for (;;) {
    const [deployments, statefulSets, pods] = await Promise.all([
      client.listAll<WorkloadStatus>(kinds.Deployment, plan.namespace, { labelSelector, signal: ask.signal }),
      plan.objects.some((o) => o.kind === 'StatefulSet') ? client.listAll<WorkloadStatus>(kinds.StatefulSet, plan.namespace, { labelSelector, signal: ask.signal }) : { items: [] },
      sandboxPods(client, plan.namespace, plan.sandbox, ask.signal),
    ]);
    if (rolledOut([...deployments.items, ...statefulSets.items])) return pods.pods.filter((p) => p.phase !== 'Terminating');
    const failing = stuck(pods.pods);
    const waiting = pods.pods.filter((p) => !p.ready && p.phase !== 'Terminating');
    if (failing.length > 0 || clock.now() > deadline) {
      const list = (failing.length > 0 ? failing : waiting).map((p) => `${p.name}: ${p.problem ?? p.phase}`).join('; ');
      throw new ExplainedError({
        reason: failing.length > 0 ? 'Invalid' : 'Timeout',
        what: `Bring up sandbox "${plan.sandbox}"`,
        why: failing.length > 0 ? `its pods keep failing (${list})` : `its forks did not roll out within ${Math.round((ask.readyTimeoutMs ?? 300_000) / 1000)} s${list ? ` (${list})` : ''}`,
        remedy: 'Fix the image or the environment the fork runs with, then bring it up again',
        step: { code: 'showLogs' },
      });
    }
    ask.onProgress?.(`Waiting for the forks to be ready${waiting.length ? `: ${waiting.map((p) => `${p.name} ${p.problem ?? p.phase}`).join(', ')}` : '…'}`);
    await sleep(clock, ask.pollMs ?? 1000, ask.signal);
  }
}

export async function sandboxUp(deps: EngineDeps, client: KubeClient, ask: UpAsk): Promise<UpResult> {
  const started = deps.host.clock.now();
  const settings = deps.settings();
  const { spec } = ask;
  const local = spec.forks.filter((f) => f.mode === 'local').map((f) => f.workload.name);
  if (local.length > 0) {
    throw new ExplainedError({ reason: 'Invalid', what: 'Bring up the sandbox', why: `${local.join(', ')} ${local.length === 1 ? 'is a local fork' : 'are local forks'}, which need the tunnel that a running preview keeps`, remedy: 'Fork them with an image or env here', step: { code: 'preview' } });
  }
  const shareSettings = previewHostSettings(settings.preview);
  if (ask.share && !shareSettings) {
    throw new ExplainedError({ reason: 'Invalid', what: 'Share the sandbox', why: 'no preview domain is set, so the sandbox has no shareable host', remedy: 'Set the domain your wildcard DNS record covers (docs/preview-urls.md)', step: { code: 'changeSetting', setting: 'preview.domain' } });
  }
  if (ask.share && !spec.preview) {
    throw new ExplainedError({ reason: 'Invalid', what: 'Share the sandbox', why: 'it has no preview section, so there is no Service for the shareable host to enter', remedy: 'Add `preview: { service: … }` to tether.yaml, or pass --preview SERVICE' });
  }
  const who = await sandboxFor(deps, ask.workspace, ask.sandbox);
  const sharedNamespace = settings.sandbox.sharedNamespace || undefined;
  ask.onProgress?.(`Checking who runs sandbox "${who.sandbox}"…`);
  const claim = await claimSandbox(client, { sandbox: who.sandbox, sharedNamespace: sharedNamespace ?? spec.baseline.namespace, holderIdentity: who.holderIdentity, takeOver: ask.takeOver, now: deps.host.clock.now(), signal: ask.signal });
  if (claim.takenFrom) deps.logger.info(`[sandbox] ${who.sandbox}: taken over from ${claim.takenFrom}`);
  const image = settings.relay.image || undefined;
  const share = shareSettings && spec.preview ? shareSettings : undefined;
  if (share) await assertGatewayApi(client, share, ask.signal);
  let key: string | undefined;
  // The agent cleans the sandbox up after its TTL, and serves the shareable host when there is one.
  const agent = sandboxAgentFor(client, { agentScript: await deps.bundles.relayAgent(), image, share, onToken: () => undefined, onKey: (k) => (key = k) });
  ask.onProgress?.(`Applying sandbox "${who.sandbox}"…`);
  const created = await createSandbox(
    client,
    { spec, developer: who.developer, branch: who.branch, sandbox: who.sandbox, holderIdentity: who.holderIdentity, sharedNamespace, agent, now: () => new Date(deps.host.clock.now()) },
    { signal: ask.signal, onProgress: (p) => (p.phase === 'applying' ? ask.onProgress?.(`Applying ${p.object.kind} ${p.object.name} (${p.index + 1}/${p.total})…`) : undefined) },
  );
  const { plan } = created;
  const lease = plan.objects.find((o) => o.kind === 'Lease') as DesiredObject;
  // Up, failed or interrupted, nobody renews it from here: the next front door (a retried CI job on
  // another runner, the editor) needs no take-over.
  const pods = await waitForRollout(client, plan, ask, deps).catch(async (err: unknown) => {
    await releaseLease(client, lease).catch((e: unknown) => deps.logger.warn(`[sandbox] ${plan.sandbox}: could not release its Lease: ${e instanceof Error ? e.message : String(e)}`));
    throw err;
  });
  await releaseLease(client, lease, ask.signal);
  const now = deps.host.clock.now();
  const result: UpResult = {
    sandbox: plan.sandbox,
    namespace: plan.namespace,
    context: ask.context,
    placementReason: created.placementReason,
    notes: plan.notes,
    pods,
    ttlSeconds: spec.ttlSeconds,
    expiresAt: new Date(now + spec.ttlSeconds * 1000).toISOString(),
    elapsedMs: now - started,
  };
  const inCluster = inClusterPreviewUrl(plan);
  if (inCluster) result.inClusterUrl = inCluster;
  if (share && plan.share && plan.entry && key) {
    const signed = sharedPreview(share, plan.sandbox, plan.share.origin, plan.entry.path, key, now);
    result.share = ask.share ? signed : { url: signed.url };
  }
  return result;
}
