/** The Tether container and its Cluster view against the demo cluster. */
import type { Scenario } from './scenario';

export const clusterViewScenarios: Scenario[] = [
  {
    name: 'the Tether container shows the Cluster view with the current context',
    async run({ workbench, cluster, screenshot }) {
      await workbench.openContainer('Tether');
      const view = workbench.viewPane('Cluster');
      await view.waitFor({ timeout: 20_000 });
      await workbench.treeRow(view, cluster.context).first().waitFor({ timeout: 20_000 });
      await screenshot('tether-container');
    },
  },
];
