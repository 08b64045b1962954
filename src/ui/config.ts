/**
 * Typed settings. Only what a user needs to set: where the kubeconfig is. A change reloads the
 * Cluster view live; nothing needs a restart.
 */
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import type { KubeconfigLookup } from '../kube/config';

export interface TetherSettings {
  /** Kubeconfig file(s) to use instead of KUBECONFIG / ~/.kube/config; '' = default lookup. */
  kubeconfig: string;
}

export function readSettings(): TetherSettings {
  const c = vscode.workspace.getConfiguration('tether');
  return { kubeconfig: c.get<string>('kubeconfig', '').trim() };
}

/**
 * What kubeconfig loading sees: KUBECONFIG replaced by the setting when it is set, and where the
 * files came from (for remedies that say where to change them).
 */
export function kubeconfigLookup(settings: TetherSettings, env: NodeJS.ProcessEnv = process.env): KubeconfigLookup {
  if (!settings.kubeconfig) return { env, origin: env.KUBECONFIG ? 'KUBECONFIG' : 'default' };
  const expanded = settings.kubeconfig.replace(/^~(?=$|[\\/])/, homedir());
  return { env: { ...env, KUBECONFIG: expanded }, origin: 'setting' };
}

/** Fires when a setting that changes cluster access changed. */
export function onDidChangeKubeconfigSetting(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('tether.kubeconfig')) listener();
  });
}
