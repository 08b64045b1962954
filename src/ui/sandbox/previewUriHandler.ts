/**
 * `vscode://tether-dev.tether/preview`: the same preview link for tools outside the editor. It
 * ensures the workspace's preview through the engine (never writing a tether.yaml) and opens it in
 * the Simple Browser; `?copy=1` also puts the URL on the clipboard (`?copy=share` the signed
 * shareable link, when a preview domain is set) and `?external=1` opens it in the system browser
 * instead.
 */
import * as vscode from 'vscode';
import type { ErrorReporter } from '../errorReporter';
import { previewWithProgress, showPreview, type SandboxCommandDeps } from './sandboxCommands';

export class PreviewUriHandler implements vscode.UriHandler {
  constructor(
    private readonly deps: SandboxCommandDeps,
    private readonly reporter: ErrorReporter,
  ) {}

  async handleUri(uri: vscode.Uri): Promise<void> {
    if (uri.path.replace(/\/+$/, '') !== '/preview') {
      void vscode.window.showWarningMessage(`Tether does not handle ${uri.path}; the link it answers is ${uri.scheme}://${uri.authority}/preview.`);
      return;
    }
    const query = new URLSearchParams(uri.query);
    try {
      const result = await previewWithProgress(this.deps);
      if (query.get('copy') === '1') await vscode.env.clipboard.writeText(result.url);
      else if (query.get('copy') === 'share') {
        if (result.share) await vscode.env.clipboard.writeText(result.share.link);
        else void vscode.window.showWarningMessage('There is no shareable link to copy: set tether.preview.domain (see docs/preview-urls.md).');
      }
      if (query.get('external') === '1') await vscode.env.openExternal(vscode.Uri.parse(result.url));
      else await showPreview(this.deps, result);
    } catch (err) {
      this.reporter.report(err);
    }
  }
}
