/** The Tether container and its Cluster view against the demo cluster (test/sim/seed.ts). */
import type { Scenario } from './scenario';

export const clusterViewScenarios: Scenario[] = [
  {
    name: 'the Tether container shows the Cluster view with the current context',
    async run({ workbench, cluster, screenshot }) {
      await workbench.openContainer('Tether');
      // The Cluster view gets the side bar: rows further down stay on screen as namespaces open.
      await workbench.focusPane('Cluster', ['GPUs', 'Sandboxes']);
      const view = workbench.viewPane('Cluster');
      await view.waitFor({ timeout: 20_000 });
      await workbench.treeRow(view, cluster.context).first().waitFor({ timeout: 20_000 });
      await workbench.treeRow(view, 'shop').waitFor({ timeout: 20_000 });
      await workbench.treeRow(view, 'ml').waitFor();
      await screenshot('tether-container');
    },
  },
  {
    name: 'the shop namespace shows its Deployments and the crash-looping cart pod',
    async run({ workbench, screenshot }) {
      const view = workbench.viewPane('Cluster');
      await workbench.expand(workbench.treeRow(view, 'shop'));
      for (const name of ['web', 'api']) await workbench.waitForDescription(workbench.treeRow(view, name), /^Deployment/);
      const cart = workbench.treeRow(view, 'cart');
      await workbench.waitForDescription(cart, /^Deployment/);
      await workbench.expand(cart);
      const pod = workbench.treeRow(view, /^cart-/);
      await workbench.waitForDescription(pod, /CrashLoopBackOff/, 45_000);
      if (!(await pod.locator('.codicon-error').count())) throw new Error('the crash-looping pod has no error icon');
      await screenshot('shop-namespace');
    },
  },
  {
    name: "the context's status bar tooltip lists the namespace just expanded as watched",
    async run({ workbench, cluster, page, screenshot }) {
      const item = page.locator('.part.statusbar .statusbar-item', { hasText: `${cluster.context} ·` }).first();
      await item.waitFor({ timeout: 20_000 });
      const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Watching workloads in' });
      const deadline = Date.now() + 20_000;
      let text = '';
      for (;;) {
        await item.hover();
        text = (await hover.first().textContent({ timeout: 5_000 }).catch(() => '')) ?? '';
        if (/Watching workloads in: .*shop/.test(text)) break;
        if (Date.now() > deadline) throw new Error(`the tooltip does not list shop as watched: ${text || 'no tooltip'}`);
        await page.mouse.move(0, 0);
        await page.waitForTimeout(300);
      }
      if (text.includes('none yet')) throw new Error(`the tooltip still says none yet: ${text}`);
      await screenshot('context-status-tooltip');
      await page.mouse.move(0, 0);
      await workbench.viewPane('Cluster').hover();
    },
  },
  {
    name: 'the ml namespace shows the unschedulable 8-GPU pod with its GPU badge',
    async run({ workbench, screenshot, docsImage }) {
      const view = workbench.viewPane('Cluster');
      await workbench.expand(workbench.treeRow(view, 'ml'));
      const pending = workbench.treeRow(view, 'train-llm-8gpu');
      await workbench.waitForDescription(pending, /8 GPUs/);
      await workbench.waitForDescription(pending, /Pending|Unschedulable|Insufficient/);
      await workbench.expand(workbench.treeRow(view, 'train-resnet'));
      await workbench.waitForDescription(workbench.treeRow(view, /^train-resnet-/), /2 GPUs/);
      await workbench.widenSideBar(260);
      await screenshot('ml-namespace');
      await docsImage('cluster-view');
    },
  },
  {
    name: 'Describe (YAML) from a pod\'s context menu opens its YAML in an editor',
    async run({ workbench, screenshot, page }) {
      const view = workbench.viewPane('Cluster');
      await workbench.expand(workbench.treeRow(view, 'web'));
      const pod = workbench.treeRow(view, /^web-/).first();
      const name = (await pod.locator('.label-name').textContent())?.trim() ?? '';
      const opened = workbench.activeEditorTitle().filter({ hasText: name });
      await workbench.contextMenu(pod, 'Describe (YAML)');
      // VS Code forgets the rows under a row it re-renders until it has asked for them again, and
      // the Deployment's age ticks every second: a menu chosen in that moment runs without its row
      // (the command then asks to pick one). A second try shows it is that moment, not the command.
      const forgotten = workbench.notifications().filter({ hasText: /Pick a workload or pod/ });
      const settled = (wait: Promise<void>) => wait.catch(() => undefined);
      await Promise.race([settled(opened.waitFor({ timeout: 15_000 })), settled(forgotten.first().waitFor({ timeout: 15_000 }))]);
      if (await forgotten.count()) {
        await workbench.runCommand('Notifications: Clear All Notifications');
        await workbench.contextMenu(pod, 'Describe (YAML)');
      }
      await opened.waitFor({ timeout: 15_000 });
      const deadline = Date.now() + 15_000;
      let text = '';
      while (!/kind: Pod/.test(text) && Date.now() < deadline) {
        text = await workbench.activeEditorText();
        await page.waitForTimeout(200);
      }
      if (!/kind: Pod/.test(text)) throw new Error(`the editor does not show the pod's YAML:\n${text.slice(0, 500)}`);
      if (text.includes('managedFields')) throw new Error('the YAML includes managedFields');
      await screenshot('describe-pod');
      await workbench.runCommand('View: Close All Editors');
    },
  },
];
