/** Tether's commands from the command palette. */
import type { Scenario } from './scenario';

export const paletteScenarios: Scenario[] = [
  {
    name: 'Tether: Select Context switches to an unreachable context (error row) and back',
    async run({ workbench, cluster, screenshot, page }) {
      const view = workbench.viewPane('Cluster');
      await workbench.runCommand('Tether: Select Context');
      await workbench.quickPickRows().filter({ hasText: cluster.context }).first().waitFor({ timeout: 15_000 });
      await screenshot('select-context');
      await workbench.pick(cluster.unreachableContext);
      const unreachable = workbench.treeRow(view, cluster.unreachableContext);
      await workbench.expand(unreachable);
      await view.locator('.monaco-list-row').filter({ has: page.locator('.codicon-error') }).first().waitFor({ timeout: 20_000 });
      await screenshot('unreachable-context');
      await workbench.runCommand('Notifications: Clear All Notifications');

      await workbench.runCommand('Tether: Select Context');
      await workbench.pick(cluster.context);
      await workbench.expand(workbench.treeRow(view, cluster.context));
      await workbench.treeRow(view, 'shop').waitFor({ timeout: 20_000 });
    },
  },
  {
    name: 'Tether: Refresh Cluster keeps the tree and shows no error',
    async run({ workbench, cluster, page }) {
      await workbench.runCommand('Notifications: Clear All Notifications');
      await workbench.runCommand('Tether: Refresh Cluster');
      const view = workbench.viewPane('Cluster');
      await workbench.treeRow(view, cluster.context).first().waitFor({ timeout: 20_000 });
      await workbench.treeRow(view, 'shop').waitFor({ timeout: 20_000 });
      await page.waitForTimeout(500);
      const errors = await workbench.notifications().filter({ has: page.locator('.codicon-error') }).allInnerTexts();
      if (errors.length) throw new Error(`error notifications after refresh: ${errors.join(' | ')}`);
    },
  },
  {
    name: 'Tether: Tunnel Workload to Local Port asks for the namespace in a pick of the known ones, the context\'s own first',
    async run({ workbench, page, screenshot }) {
      await workbench.runCommand('Tether: Tunnel Workload to Local Port');
      try {
        const rows = workbench.quickPickRows();
        await rows.filter({ hasText: 'kube-system' }).first().waitFor({ timeout: 20_000 });
        const labels = (await rows.locator('.label-name').allInnerTexts()).map((l) => l.trim());
        if (labels[0] !== 'default') throw new Error(`the context's namespace is not first: ${labels.join(', ')}`);
        for (const ns of ['shop', 'ml']) if (!labels.includes(ns)) throw new Error(`namespace ${ns} is not offered: ${labels.join(', ')}`);
        await screenshot('tunnel-namespace-pick');
        await workbench.pick('shop');
        // The next question is the workload in that namespace.
        await workbench.quickPickRows().filter({ has: page.locator('.label-name', { hasText: /^web$/ }) }).first().waitFor({ timeout: 20_000 });
      } finally {
        await workbench.closeQuickInput();
      }
    },
  },
];
