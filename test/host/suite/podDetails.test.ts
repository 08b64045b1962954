import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PodDetailsPanel } from '../../../src/ui/webviews/podDetailsPanel';
import { tetherApi } from './extension';
import { childRow, eventually, rowAt } from './clusterRows';
import { createPod, simContext } from './simContext';

/** The panel as the command returns it (the extension's own object). */
type Panel = Pick<PodDetailsPanel, 'view' | 'readyMessages' | 'logSelection' | 'logProgress' | 'isDisposed'>;

function activeWebviewTab(): { label: string; viewType: string } | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  return tab?.input instanceof vscode.TabInputWebview ? { label: tab.label, viewType: tab.input.viewType } : undefined;
}

describe('pod details', () => {
  const name = `details-${Date.now().toString(36)}`;
  let remove: (() => Promise<void>) | undefined;

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await remove?.();
  });

  it('opens a webview for a pod row that says ready, shows the pod, its events and its log, and follows it until deleted', async () => {
    const api = await tetherApi();
    remove = await createPod('default', name);
    const namespace = await rowAt(api, [simContext(), 'default']);
    const pod = await childRow(api, namespace.node, name);
    const panel = await vscode.commands.executeCommand<Panel | undefined>('tether.showPodDetails', pod.node);
    assert.ok(panel, 'the command returned no panel');
    const tab = await eventually(api, 'the panel to be the active tab', async () => activeWebviewTab());
    assert.match(tab.viewType, /tether\.podDetails$/);
    assert.equal(tab.label, `Pod ${name}`);

    // The script loaded under the CSP and said ready: nothing is posted before that.
    await eventually(api, 'the webview to say ready', async () => (panel.readyMessages > 0 ? true : undefined));
    const view = await eventually(api, 'the pod to be Running', async () => (panel.view?.phase === 'Running' && panel.view.ready === 1 ? panel.view : undefined), 30_000);
    assert.equal(view.exists, true);
    assert.deepEqual(view.containers.map((c) => [c.name, c.role, c.image]), [['main', 'app', 'registry.k8s.io/pause:3.10']]);
    assert.equal(view.containers[0].state, 'ready');
    assert.ok(view.node, 'the pod has a node');
    await eventually(api, 'the kubelet events', async () => (panel.view?.events.some((e) => e.reason === 'Started') ? true : undefined));

    assert.deepEqual(panel.logSelection, { container: 'main', previous: false, timestamps: false });
    await eventually(api, 'log lines in the webview', async () => (panel.logProgress.linesPosted > 0 ? true : undefined));
    assert.equal(panel.logProgress.status?.state, 'streaming', panel.logProgress.status?.text);

    const again = await vscode.commands.executeCommand<Panel | undefined>('tether.showPodDetails', pod.node);
    assert.equal(again, panel, 'the same pod reuses its panel');

    await remove();
    remove = undefined;
    const gone = await eventually(api, 'the pod to be gone', async () => (panel.view?.exists === false ? panel.view : undefined), 30_000);
    assert.equal(gone.reason, 'Deleted');
    assert.equal(gone.containers[0]?.name, 'main', 'the last known state stays');
  });

  it('opens the unschedulable GPU pod from a GPU view row with its GPU request and the scheduler event', async () => {
    const api = await tetherApi();
    const row = { type: 'waiting', id: 'waiting:ml/train-llm-8gpu', pod: { key: 'ml/train-llm-8gpu', namespace: 'ml', name: 'train-llm-8gpu', ready: false, gpus: [] } };
    const panel = await vscode.commands.executeCommand<Panel | undefined>('tether.showPodDetails', row);
    assert.ok(panel);
    const view = await eventually(api, 'the GPU pod', async () => (panel.view?.events.some((e) => e.reason === 'FailedScheduling') ? panel.view : undefined), 30_000);
    assert.equal(view.phase, 'Pending');
    assert.equal(view.gpus, '8 nvidia.com/gpu');
    const gpuRows = view.containers[0].resources.filter((r) => r.gpu);
    assert.deepEqual(gpuRows, [{ resource: 'nvidia.com/gpu', request: '8', limit: '8', gpu: true }]);
    assert.match(view.events.find((e) => e.reason === 'FailedScheduling')?.message ?? '', /Insufficient nvidia\.com\/gpu/);
    // It never started: the log says so and why, not that a stream ended.
    const status = await eventually(api, 'the log status of the container that never started', async () => {
      const s = panel.logProgress.status;
      return s && /has not started/.test(s.text) ? s : undefined;
    });
    assert.equal(status.state, 'ended');
    assert.match(status.text, /^Container train has not started: the pod is Pending, no node can take it \(.*Insufficient nvidia\.com\/gpu\)\. Its log follows once it runs\.$/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await eventually(api, 'the panel to be disposed', async () => (panel.isDisposed ? true : undefined));
  });
});
