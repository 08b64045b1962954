/**
 * `$(chip) 6/8 GPUs · 1 waiting` in the status bar while the selected context's GPU feed runs,
 * with the per-resource summary (and the waiting pods' reasons) as tooltip; click = GPU view.
 * It only reads the feed and never holds it, so it adds no watches.
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../../lifecycle';
import type { ContextGpuFeed } from './contextGpuFeed';
import { gpuViewId } from './registerGpuView';

export class GpuStatusBar implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly item = this.store.add(vscode.window.createStatusBarItem('tether.gpus', vscode.StatusBarAlignment.Left, 9));

  constructor(private readonly gpu: ContextGpuFeed) {
    this.item.name = 'Tether: GPUs';
    this.item.command = `${gpuViewId}.focus`;
    this.store.add(gpu.onDidChange(() => this.update()));
    this.update();
  }

  update(): void {
    const summary = this.gpu.summary();
    if (!summary?.text) {
      this.item.hide();
      return;
    }
    this.item.text = `$(chip) ${summary.text}`;
    this.item.tooltip = `GPUs in ${this.gpu.state.phase === 'running' ? this.gpu.state.context : 'the selected context'}\n\n${summary.tooltip}`;
    this.item.backgroundColor = summary.attention ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.store.dispose();
  }
}
