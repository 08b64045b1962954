/**
 * The GPU view (`tether.gpus`): while it is visible, feeds a GPU index from the selected
 * context's shared watches and renders it, at most a few times a second. Hidden, it watches
 * nothing (the shared watches linger briefly, so showing it again is quick).
 */
import * as vscode from 'vscode';
import { DisposableStore, type Disposable } from '../../lifecycle';
import { Coalescer } from '../../kube/coalesce';
import { GpuFeed, type GpuWatchSource } from '../../gpu/gpuFeed';
import { gpuSummary } from '../../gpu/gpuSummary';
import { buildGpuTree, type GpuTreeNode } from './gpuTreeModel';
import { GpuTreeProvider } from './gpuTreeProvider';

export const gpuViewId = 'tether.gpus';
export const extraResourcesSetting = 'tether.gpu.extraResources';

/** What the view needs from the cluster explorer (ClusterExplorer satisfies it). */
export interface GpuViewSource {
  readonly selectedContext: string | undefined;
  /** Scope "all" means cluster access may have been replaced (kubeconfig reloaded): start over. */
  readonly onDidChange: (listener: (change: { readonly scope: string }) => void) => Disposable;
  kube(): Promise<{ readonly hub: GpuWatchSource }>;
}

function extraResources(): string[] {
  const value = vscode.workspace.getConfiguration().get<unknown>(extraResourcesSetting);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function message(id: string, severity: 'info' | 'error' | 'loading', label: string, tooltip?: string): GpuTreeNode {
  return { type: 'message', id, severity, label, tooltip };
}

export function registerGpuView(source: GpuViewSource): vscode.Disposable {
  const store = new DisposableStore();
  const provider = store.add(new GpuTreeProvider());
  const view = store.add(vscode.window.createTreeView(gpuViewId, { treeDataProvider: provider, showCollapseAll: true }));
  let feed: GpuFeed | undefined;
  let starting = 0;

  const render = () => {
    if (!feed) return;
    const table = feed.table();
    provider.show(buildGpuTree(table, feed.status, Date.now()));
    const waiting = table.waiting.length;
    view.badge = waiting > 0 ? { value: waiting, tooltip: `${waiting} pod${waiting === 1 ? '' : 's'} waiting for GPUs` } : undefined;
    view.description = gpuSummary(table).text || undefined;
  };
  const coalescer = store.add(new Coalescer(render, 4));

  const stop = () => {
    feed?.dispose();
    feed = undefined;
    view.badge = undefined;
    view.description = undefined;
  };

  const start = async () => {
    const attempt = ++starting;
    stop();
    provider.show([message('connecting', 'loading', 'Connecting…')]);
    try {
      const access = await source.kube();
      if (attempt !== starting || !view.visible) return;
      const context = source.selectedContext;
      if (!context) {
        provider.show([message('no-context', 'info', 'Select a context to see its GPUs (Tether: Select Context)')]);
        return;
      }
      feed = new GpuFeed(access.hub, { context, extraResources: extraResources(), onChange: () => coalescer.signal() });
      render();
    } catch (err) {
      if (attempt !== starting) return;
      const text = err instanceof Error ? err.message : String(err);
      provider.show([message('error', 'error', text, text)]);
    }
  };

  /** The context the running (or starting) feed is for; null when none is running. */
  let shown: string | undefined | null = null;
  const sync = (change?: { readonly scope: string }) => {
    if (!view.visible) {
      starting++;
      stop();
      shown = null;
      return;
    }
    const context = source.selectedContext;
    if (shown === null || context !== shown || change?.scope === 'all') {
      shown = context;
      void start();
    }
  };

  store.add(view.onDidChangeVisibility(() => sync()));
  store.add(source.onDidChange(sync));
  store.add(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(extraResourcesSetting) && view.visible) void start();
    }),
  );
  store.add({ dispose: stop });
  sync();
  return store;
}
