/**
 * "Will it schedule?": a CodeLens above every pod template in a YAML manifest (Pod, Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) and the command behind it. The command reads
 * the selected context's nodes, pods and quotas now, runs the preflight and opens the report in
 * a read-only document (preflightDocuments.ts).
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../../lifecycle';
import { willItSchedule } from '../../engine/schedule';
import { findPodTemplates, templateAt } from '../../gpu/manifestTemplates';
import type { PreflightLister } from '../../gpu/preflightCluster';
import { PreflightDocuments } from './preflightDocuments';

export const checkSchedulingCommand = 'tether.checkScheduling';

/** Files larger than this get no lenses: parsing them on every edit would slow the editor. */
const maxLensBytes = 512 * 1024;

/** What the preflight needs from the cluster explorer (ClusterExplorer satisfies it). */
export interface PreflightSource {
  readonly selectedContext: string | undefined;
  kube(): Promise<{
    readonly config: { readonly contexts: readonly { readonly name: string; readonly namespace?: string }[] };
    client(context: string): PreflightLister;
  }>;
}

class PreflightLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const text = document.getText();
    if (text.length > maxLensBytes || !/^\s*kind:/m.test(text)) return [];
    return findPodTemplates(text).map((found) => {
      const at = document.positionAt(found.offset);
      return new vscode.CodeLens(new vscode.Range(at, at), {
        title: '$(rocket) Will it schedule?',
        tooltip: `Check ${found.template.kind} ${found.template.name} against the selected cluster now`,
        command: checkSchedulingCommand,
        arguments: [document.uri, found.index],
      });
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerPreflight(source: PreflightSource, report: (err: unknown) => void): vscode.Disposable {
  const store = new DisposableStore();
  const lenses = store.add(new PreflightLenses());
  const reports = store.add(new PreflightDocuments());
  store.add(vscode.languages.registerCodeLensProvider([{ language: 'yaml' }, { pattern: '**/*.{yaml,yml}' }], lenses));

  const run = async (uri?: vscode.Uri, index?: number) => {
    const editor = vscode.window.activeTextEditor;
    const document = uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
    if (!document) {
      void vscode.window.showInformationMessage('Open a Kubernetes manifest to check whether its pods will schedule.');
      return;
    }
    const cursor = !uri && editor ? document.offsetAt(editor.selection.active) : undefined;
    const found = templateAt(findPodTemplates(document.getText()), index, cursor);
    if (!found) {
      void vscode.window.showInformationMessage(
        `${vscode.workspace.asRelativePath(document.uri)} has no Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob to check.`,
      );
      return;
    }
    const access = await source.kube();
    const context = source.selectedContext;
    if (!context) {
      void vscode.window.showWarningMessage('Select a cluster context first (Tether: Select Context), then check again.');
      return;
    }
    const defaultNamespace = access.config.contexts.find((c) => c.name === context)?.namespace;
    const [verdict] = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Checking ${found.template.kind} ${found.template.name} against ${context}…`, cancellable: true },
      async (_progress, token) => {
        const abort = new AbortController();
        const cancel = token.onCancellationRequested(() => abort.abort());
        try {
          return await willItSchedule(access.client(context), { text: document.getText(), context, defaultNamespace, index: found.index, now: new Date(), signal: abort.signal });
        } finally {
          cancel.dispose();
        }
      },
    );
    const doc = await reports.show(PreflightDocuments.uriFor(document.uri, found.index, `${found.template.kind} ${found.template.name || '(unnamed)'}`), verdict.report);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    const show = verdict.fits ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(`${found.template.kind} ${found.template.name}: ${verdict.result.summary}`);
  };

  store.add(
    vscode.commands.registerCommand(checkSchedulingCommand, (uri?: unknown, index?: unknown) =>
      run(uri instanceof vscode.Uri ? uri : undefined, typeof index === 'number' ? index : undefined).catch(report),
    ),
  );
  return store;
}
