import * as vscode from 'vscode';
import { lintOptions } from '../../engine/lint';
import type { LintOptions } from '../../manifests/types';
import { readSettings } from '../config';

/** `tether.lint.*` as the editor uses them. All apply live. */
export interface LintSettings {
  enable: boolean;
  options: LintOptions;
  /** Look for Kubernetes YAML in the whole workspace (for cross-file rules and the Problems panel). */
  scanWorkspace: boolean;
  /** "cluster": the selected context's own schema when it can be read; "bundled": always the bundled one. */
  schemaSource: 'cluster' | 'bundled';
}

export function readLintSettings(): LintSettings {
  const { lint } = readSettings();
  return {
    enable: lint.enable,
    scanWorkspace: lint.scanWorkspace,
    schemaSource: lint.schemaSource,
    // In the editor the engine shares the extension host: smaller files, a tighter clock.
    options: { ...lintOptions(lint), budget: { maxMillis: 250, maxFileBytes: 2 * 1024 * 1024, maxFullParseBytes: 48 * 1024 } },
  };
}

export function onDidChangeLintSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('tether.lint')) listener();
  });
}
