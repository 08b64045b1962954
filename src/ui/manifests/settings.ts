import * as vscode from 'vscode';
import type { LintOptions, PodSecurityMode, Severity } from '../../manifests/types';

/** `tether.lint.*` settings. All apply live. */
export interface LintSettings {
  enable: boolean;
  options: LintOptions;
  /** Look for Kubernetes YAML in the whole workspace (for cross-file rules and the Problems panel). */
  scanWorkspace: boolean;
  /** "cluster": the selected context's own schema when it can be read; "bundled": always the bundled one. */
  schemaSource: 'cluster' | 'bundled';
}

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint', 'off']);
const POD_SECURITY = new Set(['auto', 'restricted', 'baseline', 'summary']);

export function readLintSettings(): LintSettings {
  const c = vscode.workspace.getConfiguration('tether.lint');
  const rules: Record<string, Severity | 'off'> = {};
  for (const [id, value] of Object.entries(c.get<Record<string, string>>('rules', {}))) {
    if (SEVERITIES.has(value)) rules[id] = value as Severity | 'off';
  }
  const version = c.get<string>('kubernetesVersion', '').trim();
  const podSecurity = c.get<string>('podSecurity', 'auto');
  return {
    enable: c.get<boolean>('enable', true),
    scanWorkspace: c.get<boolean>('scanWorkspace', true),
    schemaSource: c.get<string>('schemaSource', 'cluster') === 'bundled' ? 'bundled' : 'cluster',
    options: {
      rules,
      kubernetesVersion: /^v?\d+\.\d+/.test(version) ? version : undefined,
      podSecurity: POD_SECURITY.has(podSecurity) ? (podSecurity as PodSecurityMode) : 'auto',
      // In the editor the engine shares the extension host: smaller files, a tighter clock.
      budget: { maxMillis: 250, maxFileBytes: 2 * 1024 * 1024, maxFullParseBytes: 48 * 1024 },
    },
  };
}

export function onDidChangeLintSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('tether.lint')) listener();
  });
}
