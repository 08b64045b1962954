/** The GPU view against the demo cluster: GPU nodes, the waiting 8-GPU pod and its reason, the status bar summary. */
import type { Scenario } from './scenario';

export const gpuViewScenarios: Scenario[] = [
  {
    name: 'the GPU view lists the GPU nodes and explains the waiting 8-GPU pod; the status bar sums it up',
    async run({ page, workbench, screenshot, docsImage }) {
      await workbench.runCommand('View: Close All Editors');
      // Through the palette: the GPU view's badge on the activity-bar entry takes clicks meant for it.
      if (!(await workbench.viewPane('Cluster').isVisible())) await workbench.runCommand('View: Show Tether');
      try {
        await workbench.focusPane('GPUs', ['Cluster', 'Sandboxes']);
        const view = workbench.viewPane('GPUs');
        await workbench.waitForDescription(workbench.treeRow(view, 'gpu-a'), /^█████░░░░░ 2\/4 · NVIDIA-A100-SXM4-80GB$/);
        await workbench.waitForDescription(workbench.treeRow(view, 'gpu-b'), /1\/7/);
        if (await workbench.treeRow(view, /^cpu-/).count()) throw new Error('a CPU node is listed in the GPU view');
        await workbench.expand(workbench.treeRow(view, 'Holding GPUs'));
        await workbench.treeRow(view, /^train-resnet-/).first().waitFor({ timeout: 20_000 });
        await workbench.expand(workbench.treeRow(view, 'Waiting for GPUs'));
        const waiting = workbench.treeRow(view, 'train-llm-8gpu');
        await waiting.waitFor({ timeout: 20_000 });
        await workbench.expand(waiting);
        await workbench.treeRow(view, 'needs 8 nvidia.com/gpu').waitFor({ timeout: 10_000 });
        await workbench.treeRow(view, 'no node has more than 4 in total').waitFor({ timeout: 10_000 });
        const status = page.locator('.part.statusbar .statusbar-item', { hasText: '2/4 GPUs · 1/7 MIG slices · 1 waiting' });
        await status.first().waitFor({ timeout: 20_000 });
        await workbench.widenSideBar(260);
        await screenshot('gpu-view');
        await docsImage('gpu-view');
      } finally {
        await workbench.focusPane('Cluster', ['GPUs', 'Sandboxes']);
      }
    },
  },
];
