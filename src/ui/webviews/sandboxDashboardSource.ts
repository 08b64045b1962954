/**
 * Where the sandbox dashboard's data comes from: the sandbox's Lease and Deployments in the
 * cluster, the preview running in this window (its URL, its plan and client for check Jobs), and
 * the checks of the workspace's tether.yaml. Also which sandbox is "this workspace's" when a
 * command is run without one.
 */
import { ExplainedError } from '../../kube/errors';
import { kinds } from '../../kube/kinds';
import type { KubeObject } from '../../kube/types';
import { belongsTo, roleLabel, sandboxSelector } from '../../sandbox/labels';
import { listSandboxes, summarize } from '../../sandbox/lifecycle/lifecycle';
import { ownerLabelValue, sandboxName } from '../../sandbox/names';
import type { PreviewLoop } from '../../sandbox/preview/previewLoop';
import { specFromText } from '../../sandbox/preview/previewWorkspace';
import { specFileName, type CheckSpec } from '../../sandbox/spec';
import { currentBranch, developer, readSpecText, selectedContext } from '../sandbox/workspace';
import type { ClusterExplorer } from '../session/explorer';
import type { DashboardSource } from './sandboxDashboardPanel';
import type { CheckRunTarget } from './sandboxDashboardRun';
import { forkNames } from '../../sandbox/forks/forkNames';
import type { SandboxRef } from './sandboxDashboardProtocol';

export interface DashboardSourceDeps {
  explorer: ClusterExplorer;
  loop: PreviewLoop;
}

/** The checks of the workspace's tether.yaml (which must exist and be valid). */
async function workspaceChecks(): Promise<CheckSpec[]> {
  const text = await readSpecText();
  if (text === undefined) {
    throw new ExplainedError({ reason: 'NotFound', what: 'Read the checks', why: `the workspace has no ${specFileName}`, remedy: 'Run Tether: Create Sandbox to write one, then add a checks: section' });
  }
  return specFromText(text).checks;
}

/** The sandbox this window previews, or the one named for this workspace's developer and branch. */
async function isWorkspaceSandbox(deps: DashboardSourceDeps, ref: SandboxRef): Promise<boolean> {
  if (deps.loop.get(ref.context, ref.sandbox)) return true;
  try {
    return ref.sandbox === sandboxName(developer(), await currentBranch());
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
  if (lease) source.summary = summarize(lease, ownerLabelValue(developer()), Date.now());
  if (!(await isWorkspaceSandbox(deps, ref))) {
    source.notice = `Checks come from this workspace's ${specFileName} and run against its own sandbox; "${ref.sandbox}" is not it`;
    return source;
  }
  try {
    source.checks = await workspaceChecks();
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

/** The running preview's plan and client, the Lease as it is now, and the checks of tether.yaml. */
export async function prepareCheckRun(deps: DashboardSourceDeps, ref: SandboxRef, signal: AbortSignal): Promise<CheckRunTarget> {
  const what = `Run the checks of sandbox "${ref.sandbox}"`;
  const running = deps.loop.get(ref.context, ref.sandbox);
  if (!running || running.plan.namespace !== ref.namespace) {
    throw new ExplainedError({ reason: 'NotFound', what, why: 'its preview is not running in this window, so the checks have no plan to run against', remedy: 'Run Tether: Preview Changes, then run the checks again' });
  }
  const checks = await workspaceChecks();
  if (checks.length === 0) {
    throw new ExplainedError({ reason: 'NotFound', what, why: `${specFileName} has no checks`, remedy: 'Add a checks: section (name, image, command) to tether.yaml' });
  }
  const { client, plan } = running;
  const lease = await client.get<KubeObject>(kinds.Lease, plan.namespace, plan.leaseName, signal);
  return { client, plan, lease, checks };
}

/** This workspace's sandbox in the selected context: the running preview's, else one of mine by name. */
export async function workspaceSandboxRef(deps: DashboardSourceDeps): Promise<SandboxRef> {
  await deps.explorer.kube();
  const context = selectedContext(deps.explorer);
  const sandbox = sandboxName(developer(), await currentBranch());
  const running = deps.loop.get(context, sandbox);
  if (running) return { context, sandbox, namespace: running.plan.namespace };
  const client = (await deps.explorer.kube()).client(context);
  const listing = await listSandboxes(client, { owner: ownerLabelValue(developer()) });
  const found = [...listing.mine, ...listing.orphans].find((s) => s.sandbox === sandbox);
  if (found) return { context, sandbox, namespace: found.namespace };
  throw new ExplainedError({ reason: 'NotFound', what: 'Open the sandbox dashboard', why: `context "${context}" has no sandbox "${sandbox}" for this workspace`, remedy: 'Run Tether: Preview Changes to create it, or pick a sandbox in the Sandboxes view' });
}
