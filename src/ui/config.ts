/**
 * The editor's settings, read in this one place: `tether.*` as the engine's typed TetherSettings
 * (engine/settings.ts). A change of the kubeconfig setting reloads the Cluster view live; the rest
 * are read when used, so nothing needs a restart.
 */
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import type { KubeconfigLookup } from '../kube/config';
import { readSettings as readFrom, type TetherSettings } from '../engine/settings';

export type { TetherSettings } from '../engine/settings';

export function readSettings(): TetherSettings {
  const c = vscode.workspace.getConfiguration('tether');
  return readFrom((key) => c.get<unknown>(key));
}

/**
 * What kubeconfig loading sees: KUBECONFIG replaced by the setting when it is set, and where the
 * files came from (for remedies that say where to change them).
 */
export function kubeconfigLookup(settings: Pick<TetherSettings, 'kubeconfig'>, env: NodeJS.ProcessEnv = process.env): KubeconfigLookup {
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
