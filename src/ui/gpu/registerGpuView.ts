/**
 * The GPU view (`tether.gpus`): while it is visible, holds the selected context's GPU feed and
 * renders it (the feed coalesces to a few renders a second), and again when a pod's age it shows
 * changes. Hidden, it holds nothing, so the feed stops unless something else holds it (the shared
 * watches linger briefly, so showing the view again is quick).
 */
import * as vscode from 'vscode';
import { DisposableStore, type Disposable } from '../../lifecycle';
import { readSettings } from '../config';
import type { GpuKind } from '../../gpu/gpuFeed';
import type { ExplainedError } from '../../kube/errors';
import { kinds } from '../../kube/kinds';
import { features } from '../../kube/permissions/features';
import { checksOf, plainCheck } from '../../kube/permissions/needs';
import type { AccessCheck } from '../../kube/role';
import type { ContextGpuFeed } from './contextGpuFeed';
import { buildGpuTree, type GpuTreeNode } from './gpuTreeModel';
import { GpuTreeProvider } from './gpuTreeProvider';
import { nextAgeChange } from '../views/age';
import { AgeTicker } from '../views/ageTicker';

export const gpuViewId = 'tether.gpus';
export const extraResourcesSetting = 'tether.gpu.extraResources';

/** The extended resources the user counts as GPUs besides the known ones. */
export function extraResources(): string[] {
  return readSettings().gpu.extraResources;
}

function message(id: string, severity: 'info' | 'error' | 'loading', label: string, tooltip?: string): GpuTreeNode {
  return { type: 'message', id, severity, label, tooltip };
}

/** The GPUs view's declared reads of `kind` across the cluster: what a refusal of them asks for. */
function clusterNeeds(kind: GpuKind): AccessCheck[] {
  const plural = kinds[kind].plural;
  return checksOf(features.gpus.needs, { namespace: '' }).filter((c) => c.resource === plural && !c.namespace).map(plainCheck);
}

/**
 * Registers the view; `provider` is the one it renders into (the extension's API hands it to
 * tests). `onLimit` hears about each refusal the view works around (told once by its receiver).
 */
export function registerGpuView(gpu: ContextGpuFeed, provider: GpuTreeProvider, onLimit: (error: ExplainedError, needs: AccessCheck[]) => void = () => undefined): vscode.Disposable {
  const store = new DisposableStore();
  const view = store.add(vscode.window.createTreeView(gpuViewId, { treeDataProvider: provider, showCollapseAll: true }));
  const ages = store.add(new AgeTicker<'table'>(() => render()));

  const render = () => {
    const state = gpu.state;
    let waiting = 0;
    let description: string | undefined;
    if (state.phase !== 'running') ages.set('table', undefined);
    switch (state.phase) {
      case 'stopped':
        break;
      case 'connecting':
        provider.show([message('connecting', 'loading', 'Connecting…')]);
        break;
      case 'noContext':
        provider.show([message('no-context', 'info', 'Select a context to see its GPUs (Tether: Select Context)')]);
        break;
      case 'failed':
        provider.show([message('error', 'error', state.message, state.message)]);
        break;
      case 'running': {
        const table = state.feed.table();
        const now = Date.now();
        const status = state.feed.status;
        provider.show(buildGpuTree(table, status, now));
        for (const limit of status.limits) onLimit(limit.error, clusterNeeds(limit.kind));
        ages.set('table', nextAgeChange([...table.holders, ...table.waiting].map((p) => p.createdAt), now));
        const summary = gpu.summary(state.context);
        waiting = summary ? table.waiting.length : 0;
        description = summary?.text || undefined;
      }
    }
    view.badge = waiting > 0 ? { value: waiting, tooltip: `${waiting} pod${waiting === 1 ? '' : 's'} waiting for GPUs` } : undefined;
    view.description = description;
  };

  let held: Disposable | undefined;
  const sync = () => {
    ages.setActive(view.visible);
    if (view.visible && !held) held = gpu.hold();
    if (!view.visible && held) {
      held.dispose();
      held = undefined;
    }
  };
  store.add(gpu.onDidChange(render));
  store.add(view.onDidChangeVisibility(sync));
  store.add(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(extraResourcesSetting)) gpu.restart();
    }),
  );
  store.add({ dispose: () => held?.dispose() });
  sync();
  return store;
}
