/**
 * Where the sandbox dashboard's data comes from: the sandbox's Lease and Deployments in the
 * cluster, the preview running in this window (its URL), and the checks of the workspace's
 * tether.yaml, run against the sandbox as the cluster has it (sandbox/checks/checkPlan.ts), so a
 * sandbox brought up by the CLI or an agent runs its checks here too. Also which sandbox is "this
 * workspace's" when a command is run without one.
 */
import type { EngineDeps } from '../../engine/engine';
import { sandboxFor } from '../../engine/preview';
import { ownerOf, sandboxListing } from '../../engine/status';
import { workspaceSpec } from '../../engine/workspace';
import { ExplainedError } from '../../kube/errors';
import { kinds } from '../../kube/kinds';
import type { KubeObject } from '../../kube/types';
import { checkTargetFrom, type CheckRunTarget } from '../../sandbox/checks/checkPlan';
import { belongsTo, roleLabel, sandboxSelector } from '../../sandbox/labels';
import { summarize } from '../../sandbox/lifecycle/lifecycle';
import type { PreviewLoop } from '../../sandbox/preview/previewLoop';
import { specFileName } from '../../sandbox/spec';
import { editorLook, editorWorkspace, selectedContext } from '../sandbox/workspace';
import type { ClusterExplorer } from '../session/explorer';
import type { DashboardSource } from './sandboxDashboardPanel';
import { forkNames } from '../../sandbox/forks/forkNames';
import type { SandboxRef } from './sandboxDashboardProtocol';

export interface DashboardSourceDeps {
  explorer: ClusterExplorer;
  loop: PreviewLoop;
  engine: EngineDeps;
}

/** The sandbox this window previews, or the one named for this workspace's developer and branch. */
async function isWorkspaceSandbox(deps: DashboardSourceDeps, ref: SandboxRef): Promise<boolean> {
  if (deps.loop.get(ref.context, ref.sandbox)) return true;
  try {
    return ref.sandbox === (await sandboxFor(deps.engine, editorWorkspace())).sandbox;
  } catch {
    return false; // no folder open: no tether.yaml either
  }
}

export async function loadDashboard(deps: DashboardSourceDeps, ref: SandboxRef): Promise<DashboardSource> {
  const client = (await deps.explorer.kube()).client(ref.context);
  const [leases, deployments] = await Promise.all([
    client.listAll<KubeObject>(kinds.Lease, ref.namespace, { labelSelector: `${sandboxSelector(ref.sandbox)},${roleLabel}=lease` }),
    client.listAll<KubeObject>(kinds.Deployment, ref.namespace, { labelSelector: sandboxSelector(ref.sandbox) }),
  ]);
  const lease = leases.items.find((l) => belongsTo(l, ref.sandbox));
  const source: DashboardSource = { forks: forkNames(deployments.items), checks: [] };
  if (lease) source.summary = summarize(lease, ownerOf(deps.engine), deps.engine.host.clock.now());
  if (!(await isWorkspaceSandbox(deps, ref))) {
    source.notice = `Checks come from this workspace's ${specFileName} and run against its own sandbox; "${ref.sandbox}" is not it`;
    return source;
  }
  try {
    source.checks = (await workspaceSpec(editorWorkspace(), 'Read the checks')).checks;
    if (source.checks.length === 0) source.notice = `${specFileName} has no checks: add a checks: section (name, image, command) to run some against the preview`;
  } catch (err) {
    source.notice = err instanceof Error ? err.message : String(err);
  }
  return source;
}

/** The preview URL while the sandbox's preview runs in this window. */
export function runningPreviewUrl(deps: DashboardSourceDeps, ref: SandboxRef): string | undefined {
  return deps.loop.summaries().find((s) => s.context === ref.context && s.sandbox === ref.sandbox && s.namespace === ref.namespace)?.url;
}

/** The sandbox as the cluster has it and the checks of tether.yaml; the sandbox must be this workspace's. */
export async function prepareCheckRun(deps: DashboardSourceDeps, ref: SandboxRef, signal: AbortSignal): Promise<CheckRunTarget> {
  if (!(await isWorkspaceSandbox(deps, ref))) {
    throw new ExplainedError({ reason: 'Invalid', what: `Run the checks of sandbox "${ref.sandbox}"`, why: `the checks come from this workspace's ${specFileName}, and "${ref.sandbox}" is not this workspace's sandbox`, remedy: 'Open the workspace the sandbox was made from' });
  }
  const spec = await workspaceSpec(editorWorkspace(), `Run the checks of sandbox "${ref.sandbox}"`);
  const client = (await deps.explorer.kube()).client(ref.context);
  return checkTargetFrom(client, ref, spec, signal);
}

/** This workspace's sandbox in the selected context: the running preview's, else one of mine by name. */
export async function workspaceSandboxRef(deps: DashboardSourceDeps): Promise<SandboxRef> {
  await deps.explorer.kube();
  const context = selectedContext(deps.explorer);
  const { sandbox } = await sandboxFor(deps.engine, editorWorkspace());
  const running = deps.loop.get(context, sandbox);
  if (running) return { context, sandbox, namespace: running.plan.namespace };
  const client = (await deps.explorer.kube()).client(context);
  const listing = await sandboxListing(deps.engine, client, undefined, editorLook(deps.explorer, context));
  const found = [...listing.mine, ...listing.orphans].find((s) => s.sandbox === sandbox);
  if (found) return { context, sandbox, namespace: found.namespace };
  throw new ExplainedError({ reason: 'NotFound', what: 'Open the sandbox dashboard', why: `context "${context}" has no sandbox "${sandbox}" for this workspace`, remedy: 'Pick a sandbox in the Sandboxes view, or create it', step: { code: 'preview' } });
}
