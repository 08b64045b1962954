/**
 * Language-model tools (defined with the MCP server's in engine/tools/toolDefinitions.ts), so an
 * agent can check its own edit: `tether_preview` ensures the preview
 * through the engine (nothing shown, nothing written) and returns its URL, the sandbox's pods and
 * the last error lines of their logs; `tether_sandbox_status` reports state without changing
 * anything. Registered only where the editor has `vscode.lm.registerTool` (older code-server
 * builds lack it).
 */
import * as vscode from 'vscode';
import { sharedByRequests } from '../../engine/sharedSignal';
import { sandboxListing } from '../../engine/status';
import { editorLook } from '../sandbox/workspace';
import { editorToolNames } from '../../engine/tools/editorToolNames';
import { previewFailureText, previewText, statusText, type PreviewToolInput, type StatusToolInput } from '../../engine/tools/toolText';
import type { SandboxListing } from '../../sandbox/lifecycle/lifecycle';
import { sandboxPods, type SandboxPod } from '../../sandbox/preview/previewStatus';
import { ensureWorkspacePreview, type SandboxCommandDeps } from '../sandbox/sandboxCommands';
import { editorStepWords } from '../stepWords';

function text(value: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(value)]);
}

function abortOn(token: vscode.CancellationToken): AbortSignal {
  const abort = new AbortController();
  if (token.isCancellationRequested) abort.abort();
  else token.onCancellationRequested(() => abort.abort());
  return sharedByRequests(abort.signal);
}

class PreviewTool implements vscode.LanguageModelTool<PreviewToolInput> {
  constructor(private readonly deps: SandboxCommandDeps) {}

  prepareInvocation(): vscode.PreparedToolInvocation {
    const context = this.deps.explorer.selectedContext;
    const running = this.deps.loop.summaries().some((r) => r.context === context);
    if (running) return { invocationMessage: 'Checking the Tether preview…' };
    // Nothing runs yet: the tool is about to create objects in the cluster, so the user confirms.
    return {
      invocationMessage: 'Bringing up the Tether preview…',
      confirmationMessages: {
        title: 'Create or update your Tether sandbox?',
        message: new vscode.MarkdownString(`Applies the sandbox described by \`tether.yaml\` in context \`${context ?? '(none selected)'}\`, tunnels its local forks to this computer and opens a preview URL. The shared baseline is not changed.`),
      },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<PreviewToolInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    try {
      const input = options.input ?? {};
      const result = await ensureWorkspacePreview(this.deps, { includeLogs: input.includeLogs !== false, takeOver: input.takeOver === true, signal: abortOn(token), ...(input.context ? { context: input.context } : {}) });
      return text(previewText(result));
    } catch (err) {
      return text(previewFailureText(err, editorStepWords));
    }
  }
}

class StatusTool implements vscode.LanguageModelTool<StatusToolInput> {
  constructor(private readonly deps: SandboxCommandDeps) {}

  prepareInvocation(): vscode.PreparedToolInvocation {
    return { invocationMessage: 'Reading the state of Tether sandboxes…' };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<StatusToolInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const context = options.input?.context || this.deps.explorer.selectedContext;
    const running = this.deps.loop.summaries().filter((r) => r.context === context);
    let listing: SandboxListing | undefined;
    const pods = new Map<string, SandboxPod[]>();
    const problems: string[] = [];
    if (context) {
      try {
        const signal = abortOn(token);
        const client = (await this.deps.explorer.kube()).client(context);
        listing = await sandboxListing(this.deps.engine, client, signal, editorLook(this.deps.explorer, context));
        for (const r of running) pods.set(`${r.namespace}/${r.sandbox}`, (await sandboxPods(client, r.namespace, r.sandbox, signal)).pods);
      } catch (err) {
        problems.push(`Could not read the cluster: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return text([statusText(context, listing, running, pods, options.input?.sandbox), ...problems].join('\n'));
  }
}

export function registerLanguageModelTools(deps: SandboxCommandDeps): vscode.Disposable {
  const lm = (vscode as { lm?: Partial<typeof vscode.lm> }).lm;
  if (!lm?.registerTool) {
    deps.logger.info('[tools] this editor has no language-model tool API; tether_preview and tether_sandbox_status are not registered');
    return new vscode.Disposable(() => undefined);
  }
  return vscode.Disposable.from(lm.registerTool(editorToolNames.preview, new PreviewTool(deps)), lm.registerTool(editorToolNames.sandbox_status, new StatusTool(deps)));
}
