/**
 * The preview path every front door takes: the PreviewRequest for a workspace (its tether.yaml,
 * the developer, the branch, this front door's holder identity, the settings, the bundles), the
 * preview ensured through a PreviewLoop the front door owns, and the lines it logs about it.
 */
import { ExplainedError } from '../kube/errors';
import { requestedSandbox, sandboxNameProblem } from '../sandbox/names';
import type { PreviewLoop, PreviewProgress, PreviewRequest, PreviewResult } from '../sandbox/preview/previewLoop';
import { previewHostSettings } from '../sandbox/preview/previewHost';
import type { SandboxSpec } from '../sandbox/spec';
import type { EngineDeps } from './engine';
import { branchOf, developerName, holderIdentity } from './identity';
import { workspaceSpec, type Workspace } from './workspace';

export interface PreviewAsk {
  context: string;
  workspace: Workspace;
  /** The spec, when the front door has it already (else the workspace's tether.yaml). */
  spec?: SandboxSpec;
  /** Ask for the sandbox by name (e.g. "pr-42") instead of `<developer>-<branch>`. */
  sandbox?: string;
  takeOver?: boolean;
  includeLogs?: boolean;
  onProgress?: (progress: PreviewProgress) => void;
  signal?: AbortSignal;
}

/** A sandbox name given by a user, checked. */
export function checkedSandboxName(name: string): string {
  const problem = sandboxNameProblem(name);
  if (problem) throw new ExplainedError({ reason: 'Invalid', what: `Name the sandbox "${name}"`, why: problem, remedy: 'Pick a name such as pr-42 or jane-login' });
  return name;
}

/** Who and what: the developer, the branch and the sandbox a workspace's preview is for. */
export async function sandboxFor(deps: EngineDeps, workspace: Workspace, name?: string): Promise<{ developer: string; branch: string; sandbox: string; holderIdentity: string }> {
  const developer = developerName(deps.settings(), deps.host);
  const branch = await branchOf(workspace.folder, deps.host);
  const sandbox = name === undefined ? requestedSandbox({ developer, branch }) : checkedSandboxName(name);
  return { developer, branch, sandbox, holderIdentity: holderIdentity(developer, deps.host) };
}

/** Everything PreviewLoop.ensure needs for a workspace's sandbox. */
export async function previewRequest(deps: EngineDeps, ask: PreviewAsk): Promise<PreviewRequest & { sandbox: string }> {
  const settings = deps.settings();
  const spec = ask.spec ?? (await workspaceSpec(ask.workspace, 'Preview changes'));
  const who = await sandboxFor(deps, ask.workspace, ask.sandbox);
  const share = previewHostSettings(settings.preview);
  const request: PreviewRequest & { sandbox: string } = {
    context: ask.context,
    spec,
    developer: who.developer,
    branch: who.branch,
    sandbox: who.sandbox,
    holderIdentity: who.holderIdentity,
    agentScript: () => deps.bundles.relayAgent(),
  };
  if (settings.relay.image) request.relayImage = settings.relay.image;
  if (settings.sandbox.sharedNamespace) request.sharedNamespace = settings.sandbox.sharedNamespace;
  if (share) request.share = share;
  if (ask.takeOver) request.takeOver = true;
  if (ask.includeLogs) request.includeLogs = true;
  if (ask.onProgress) request.onProgress = ask.onProgress;
  if (ask.signal) request.signal = ask.signal;
  return request;
}

/** What a front door logs about a preview: never the signed link, which is a credential. */
export function previewLogLines(result: PreviewResult): string[] {
  const lines = [`[sandbox] preview of ${result.sandbox} at ${result.url} (${result.warm ? 'warm' : 'created'} in ${result.elapsedMs} ms)`];
  for (const note of result.notes) lines.push(`[sandbox] ${note}`);
  if (result.share) lines.push(`[sandbox] shareable at ${result.share.url} (links valid until ${result.share.expiresAt})`);
  if (result.routing) lines.push(`[sandbox] header routing into ${result.routing.entry}, every request carries "${result.routing.header}"; from a terminal: ${result.routing.curl}`);
  return lines;
}

/** Ensures the workspace's preview through `loop` and logs it. */
export async function ensurePreview(deps: EngineDeps, loop: PreviewLoop, ask: PreviewAsk): Promise<PreviewResult> {
  const result = await loop.ensure(await previewRequest(deps, ask));
  for (const line of previewLogLines(result)) deps.logger.info(line);
  return result;
}
