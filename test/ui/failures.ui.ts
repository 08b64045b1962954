/** Failure states against a context whose cluster nothing answers: one notice per cause, views that say only that. */
import type { Scenario } from './scenario';

export const failureScenarios: Scenario[] = [
  {
    name: 'an unreachable cluster is told once, and every view says only that it could not be read, with the next step',
    async run({ workbench, cluster, page, screenshot }) {
      const panes = ['Cluster', 'GPUs', 'Sandboxes'];
      await workbench.runCommand('Notifications: Clear All Notifications');
      if (!(await workbench.viewPane('Cluster').isVisible())) await workbench.runCommand('View: Show Tether');
      for (const pane of panes) await workbench.setPaneExpanded(pane, true);
      try {
        await workbench.runCommand('Tether: Select Context');
        await workbench.pick(cluster.unreachableContext);
        await workbench.expand(workbench.treeRow(workbench.viewPane('Cluster'), cluster.unreachableContext));
        const cannotReach = new RegExp(`^Cannot reach the cluster of context "${cluster.unreachableContext}": `);
        for (const pane of panes) {
          const view = workbench.viewPane(pane);
          await workbench.treeRow(view, cannotReach).first().waitFor({ timeout: 30_000 });
          await workbench.treeRow(view, /^Next: /).first().waitFor({ timeout: 10_000 });
        }
        const gpus = workbench.viewPane('GPUs');
        for (const fact of ['No node offers GPUs', 'Nodes', 'Namespaces', 'Holding GPUs', 'Waiting for GPUs']) {
          if (await workbench.treeRow(gpus, fact).count()) throw new Error(`the GPUs view shows "${fact}" for a cluster it could not read`);
        }
        if ((await gpus.locator('.monaco-list-row').count()) !== 2) throw new Error(`the GPUs view shows more than the failure and the next step: ${(await gpus.locator('.monaco-list-row').allInnerTexts()).join(' | ')}`);
        // Let every notification that is coming arrive (three views met the failure), then count.
        await page.waitForTimeout(1000);
        const notices = await workbench.notifications().locator('.notification-list-item-message').allInnerTexts();
        const about = notices.filter((n) => /did not answer|unreachable|Cannot reach/.test(n));
        await screenshot('unreachable-cluster');
        if (about.length !== 1) throw new Error(`${about.length} notifications for one unreachable cluster: ${about.join(' | ')}`);
        if (!/^Cannot reach the cluster of context "unreachable"/.test(about[0].trim())) throw new Error(`the notice does not lead with the cause: ${about[0]}`);
      } finally {
        await workbench.runCommand('Notifications: Clear All Notifications');
        await workbench.runCommand('Tether: Select Context');
        await workbench.pick(cluster.context);
        await workbench.focusPane('Cluster', ['GPUs', 'Sandboxes']);
        await workbench.treeRow(workbench.viewPane('Cluster'), 'shop').waitFor({ timeout: 20_000 });
      }
    },
  },
];
