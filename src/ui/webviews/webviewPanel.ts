/**
 * The one base for Tether's webview panels: resource roots limited to the bundled scripts and
 * styles, HTML from webviewHtml.ts with a fresh nonce, incoming messages checked by the panel's
 * guard before anything reads them, and the ready handshake — nothing is posted until the webview
 * says it is listening (again after it was hidden and recreated; subclasses then send their whole
 * state). Owns the vscode.WebviewPanel and everything added to `store`; disposing either disposes both.
 */
import * as vscode from 'vscode';
import { DisposableStore, Emitter } from '../../lifecycle';
import type { Logger } from '../../kube/logger';
import { createNonce, webviewHtml } from './webviewHtml';

/** Where webview code and styles live in the extension; the only folders a webview may load from. */
const resourceFolders = [['dist', 'webview'], ['media']] as const;

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: resourceFolders.map((parts) => vscode.Uri.joinPath(extensionUri, ...parts)),
  };
}

export interface WebviewPage {
  title: string;
  /** Bundle name under dist/webview, e.g. "podDetails" for dist/webview/podDetails.js. */
  script: string;
  /** The page's stylesheet under media/, e.g. "podDetails.css", loaded after media/webview.css. */
  style: string;
  data: Record<string, string>;
}

export abstract class WebviewPanelBase<Out, In extends { type: string }> implements vscode.Disposable {
  protected readonly store = new DisposableStore();
  private readonly disposedEmitter = this.store.add(new Emitter<void>());
  /** Fires once, when the panel is closed or disposed. */
  readonly onDidDispose = this.disposedEmitter.event;
  private listening = false;
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly isIncoming: (value: unknown) => value is In,
    protected readonly logger: Logger,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    this.store.add(panel.onDidDispose(() => this.dispose()));
    this.store.add(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        if (!this.isIncoming(raw)) {
          this.logger.warn(`[webview] ${panel.viewType}: ignored a malformed message`);
          return;
        }
        if (raw.type === 'ready') this.listening = true;
        this.receive(raw);
      }),
    );
    this.store.add(
      panel.onDidChangeViewState(() => {
        // A hidden webview is destroyed; when shown again it loads anew and says ready again.
        if (!panel.visible && this.listening) {
          this.listening = false;
          this.hidden();
        }
      }),
    );
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** True between the webview's ready message and the next time it is hidden or reloaded. */
  get isListening(): boolean {
    return this.listening;
  }

  /** (Re)loads the page; the webview starts over and will say ready again. */
  protected render(page: WebviewPage): void {
    const webview = this.panel.webview;
    const uri = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...parts)).toString();
    this.listening = false;
    this.panel.title = page.title;
    webview.html = webviewHtml({
      title: page.title,
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: uri('dist', 'webview', `${page.script}.js`),
      styleUris: [uri('media', 'webview.css'), uri('media', page.style)],
      data: page.data,
    });
  }

  /** Posts to the webview if it is listening; false (and nothing sent) otherwise. */
  protected post(message: Out): boolean {
    if (!this.listening || this.disposed) return false;
    void this.panel.webview.postMessage(message).then(undefined, (err: unknown) => this.logger.debug(`[webview] postMessage failed: ${String(err)}`));
    return true;
  }

  /** A checked message from the webview; 'ready' means the subclass should send its whole state. */
  protected abstract receive(message: In): void;

  /** The webview went away while the panel stays (hidden): stop what only feeds the screen. */
  protected hidden(): void {}

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.listening = false;
    this.disposedEmitter.fire();
    this.store.dispose();
    this.panel.dispose();
  }
}
