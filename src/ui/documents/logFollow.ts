/**
 * Keeps the end of a followed log in view, as `kubectl logs -f` and `tail -f` do: an editor that
 * shows a log document of `scheme` starts at its last line and stays there as lines arrive,
 * until the user scrolls up; scrolling back to the end follows again. Owned by the log documents.
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../../lifecycle';

interface Follow {
  following: boolean;
  /** The document's line count when the end was last revealed: lines added since do not count as scrolling up. */
  revealedAt: number;
}

export class LogFollower implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly editors = new WeakMap<vscode.TextEditor, Follow>();

  constructor(private readonly scheme: string) {
    this.store.add(vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.track(e))));
    this.store.add(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme !== this.scheme) return;
        for (const editor of vscode.window.visibleTextEditors) {
          if (editor.document === e.document && this.editors.get(editor)?.following) this.revealEnd(editor);
        }
      }),
    );
    this.store.add(
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
        const follow = this.editors.get(e.textEditor);
        const last = e.visibleRanges.at(-1)?.end.line;
        if (!follow || last === undefined) return;
        // At the end as it was when last revealed (or as it is now): still following.
        follow.following = last >= Math.min(follow.revealedAt, e.textEditor.document.lineCount) - 2;
      }),
    );
    vscode.window.visibleTextEditors.forEach((e) => this.track(e));
  }

  private track(editor: vscode.TextEditor): void {
    if (editor.document.uri.scheme !== this.scheme || this.editors.has(editor)) return;
    this.editors.set(editor, { following: true, revealedAt: 0 });
    this.revealEnd(editor);
  }

  private revealEnd(editor: vscode.TextEditor): void {
    const follow = this.editors.get(editor);
    const lastLine = editor.document.lineCount - 1;
    if (follow) follow.revealedAt = lastLine + 1;
    const end = new vscode.Position(lastLine, 0);
    editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.Default);
  }

  dispose(): void {
    this.store.dispose();
  }
}
