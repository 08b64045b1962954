/**
 * "Tether: Create Sandbox" (writes tether.yaml guided by what the workspace holds and opens it),
 * "Tether: Preview Changes" (ensures sandbox, tunnel and preview under a progress notification,
 * opens the Simple Browser, offers Copy Link / Open in Browser) and "Tether: Delete Sandbox"
 * (after a modal confirmation, removes everything of the sandbox at once). The preview itself is
 * the engine's (engine/preview.ts); the URI handler and the language-model tools call it too.
 */
import * as vscode from 'vscode';
import { previewNotice } from '../../engine/previewNotice';
import { ensurePreview, type PreviewAsk } from '../../engine/preview';
import { sharedByRequests } from '../../engine/sharedSignal';
import { deletionCandidates, sandboxListing } from '../../engine/status';
import { KubeClient } from '../../kube/api';
import { ExplainedError } from '../../kube/errors';
import { proposeSpec } from '../../sandbox/detect';
import type { PreviewLoop, PreviewResult } from '../../sandbox/preview/previewLoop';
import { readWorkspaceFacts } from '../../sandbox/preview/previewWorkspace';
import { specFileName } from '../../sandbox/spec';
import { editorLook, editorWorkspace, readSpecText, selectedContext, specUri, workspaceFolder, type SandboxFeatureDeps } from './workspace';

export interface SandboxCommandDeps extends SandboxFeatureDeps {
  loop: PreviewLoop;
}

/** Writes a proposed tether.yaml when there is none; resolves to false when there is nothing to propose from. */
async function writeProposal(deps: SandboxCommandDeps): Promise<{ written: boolean; reasons: string[] }> {
  const folder = workspaceFolder();
  const uri = specUri(folder);
  if ((await readSpecText(uri)) !== undefined) return { written: false, reasons: [] };
  const context = deps.explorer.selectedContext;
  const defaultNamespace = context ? (await deps.explorer.kube()).config.contexts.find((c) => c.name === context)?.namespace : undefined;
  const proposal = proposeSpec(await readWorkspaceFacts(folder.uri.fsPath, { defaultNamespace }));
  if (!('spec' in proposal)) {
    throw new ExplainedError({ reason: 'NotFound', what: `Propose a ${specFileName}`, why: proposal.reason.split(';')[0], remedy: proposal.reason.split(';').slice(1).join(';').trim() || `Write ${specFileName} by hand (schemas/tether.schema.json documents it)` });
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(proposal.text));
  deps.logger.info(`[sandbox] wrote ${uri.fsPath}: ${proposal.reasons.join(' ')}`);
  return { written: true, reasons: proposal.reasons };
}

export async function createSandboxCommand(deps: SandboxCommandDeps): Promise<void> {
  const uri = specUri();
  const { written, reasons } = await writeProposal(deps);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  if (written) {
    void vscode.window.showInformationMessage(`Wrote ${specFileName}. ${reasons.join(' ')} Check it, then run Preview Changes.`, 'Preview Changes').then((choice) => {
      if (choice) void vscode.commands.executeCommand('tether.previewChanges');
    });
  } else {
    void vscode.window.showInformationMessage(`${specFileName} already exists; it is open for editing.`);
  }
}

/** Opens `url` in VS Code's Simple Browser (the API command where it exists); false when neither command exists. */
async function openInSimpleBrowser(url: string): Promise<boolean> {
  try {
    await vscode.commands.executeCommand('simpleBrowser.api.open', vscode.Uri.parse(url), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    return true;
  } catch {
    return vscode.commands.executeCommand('simpleBrowser.show', url).then(
      () => true,
      () => false,
    );
  }
}

/** The workspace's preview in the selected context, from the engine; nothing shown, nothing written. */
export async function ensureWorkspacePreview(deps: SandboxCommandDeps, ask: Omit<PreviewAsk, 'context' | 'workspace'> & { context?: string } = {}): Promise<PreviewResult> {
  await deps.explorer.kube();
  const context = ask.context ?? selectedContext(deps.explorer);
  return ensurePreview(deps.engine, deps.loop, { ...ask, context, workspace: editorWorkspace() });
}

/** The workspace's preview under a cancellable progress notification. */
export function previewWithProgress(deps: SandboxCommandDeps, ask: Omit<PreviewAsk, 'context' | 'workspace' | 'signal' | 'onProgress'> = {}): Thenable<PreviewResult> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Tether preview', cancellable: true }, (progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    return ensureWorkspacePreview(deps, { ...ask, signal: sharedByRequests(abort.signal), onProgress: (p) => progress.report({ message: p.message }) });
  });
}

/** The preview in the Simple Browser, and the notification with its links. */
export async function showPreview(deps: SandboxCommandDeps, result: PreviewResult): Promise<void> {
  const shown = await openInSimpleBrowser(result.url);
  if (!shown) deps.logger.info('[sandbox] the Simple Browser is not available in this editor; the notification offers the link');
  const notice = previewNotice(result);
  void vscode.window.showInformationMessage(notice.message, ...notice.actions.map((a) => a.label)).then(async (choice) => {
    const action = notice.actions.find((a) => a.label === choice);
    if (action && 'copy' in action) await vscode.env.clipboard.writeText(action.copy);
    else if (action) await vscode.env.openExternal(vscode.Uri.parse(action.open));
  });
}

/** `{ takeOver: true }` runs the sandbox here even while another front door runs it (the error's Take Over button). */
function takeOverArg(arg: unknown): boolean {
  return Boolean(arg && typeof arg === 'object' && (arg as { takeOver?: unknown }).takeOver === true);
}

/** Ensures the preview and shows it; returns the result so callers (tests) can use the URL. */
export async function previewChangesCommand(deps: SandboxCommandDeps, arg?: unknown): Promise<PreviewResult | undefined> {
  if ((await readSpecText()) === undefined) {
    const { reasons } = await writeProposal(deps);
    void vscode.window.showInformationMessage(`Wrote ${specFileName} for this workspace. ${reasons.join(' ')}`);
  }
  const result = await previewWithProgress(deps, takeOverArg(arg) ? { takeOver: true } : {});
  await showPreview(deps, result);
  return result;
}

/** What Delete Sandbox acts on: a Sandboxes view item, or an explicit location. */
export interface DeleteTarget {
  context?: string;
  sandbox: string;
  namespace: string;
  placement?: 'namespace' | 'shared';
  /** Skip the modal confirmation (for callers that already asked). */
  confirmed?: boolean;
}

function isDeleteTarget(arg: unknown): arg is DeleteTarget {
  return Boolean(arg && typeof arg === 'object' && typeof (arg as DeleteTarget).sandbox === 'string' && typeof (arg as DeleteTarget).namespace === 'string');
}

export async function deleteSandboxCommand(deps: SandboxCommandDeps, arg?: unknown): Promise<string[] | undefined> {
  const access = await deps.explorer.kube();
  const context = (isDeleteTarget(arg) && arg.context) || selectedContext(deps.explorer);
  const client = KubeClient.forContext(access.config, context, deps.logger);
  try {
    let target = isDeleteTarget(arg) ? arg : undefined;
    if (!target) {
      // As the Sandboxes view does: without the right to list Leases everywhere, the namespaces the user works in are searched.
      const choices = deletionCandidates(await sandboxListing(deps.engine, client, undefined, editorLook(deps.explorer, context)));
      if (choices.length === 0) {
        void vscode.window.showInformationMessage(`You have no sandbox in context "${context}".`);
        return undefined;
      }
      const pick = await vscode.window.showQuickPick(
        choices.map((s) => ({ label: s.sandbox, description: `namespace ${s.namespace}${s.state === 'orphan' ? ' · lease lapsed' : ''}`, target: { sandbox: s.sandbox, namespace: s.namespace, placement: s.placement } })),
        { title: 'Delete which sandbox?' },
      );
      if (!pick) return undefined;
      target = pick.target;
    }
    if (!target.confirmed) {
      const answer = await vscode.window.showWarningMessage(
        `Delete sandbox "${target.sandbox}"?`,
        { modal: true, detail: `Everything Tether created for it in namespace "${target.namespace}" is removed now (its forks, relays, Services and Lease${target.namespace === target.sandbox ? ', and the namespace itself' : ''}). The baseline is not touched.` },
        'Delete',
      );
      if (answer !== 'Delete') return undefined;
    }
    const where = { sandbox: target.sandbox, namespace: target.namespace, ...(target.placement ? { placement: target.placement } : {}) };
    const deleted = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deleting sandbox "${target.sandbox}"` }, () =>
      deps.loop.delete(client, context, where),
    );
    deps.logger.info(`[sandbox] deleted ${target.sandbox}: ${deleted.join(', ') || 'nothing was left'}`);
    void vscode.window.showInformationMessage(`Sandbox "${target.sandbox}" deleted (${deleted.length} object${deleted.length === 1 ? '' : 's'}).`);
    return deleted;
  } finally {
    client.dispose();
  }
}
