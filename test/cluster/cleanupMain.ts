/**
 * Removes leftovers of cluster-facing test runs from the cluster in TETHER_TEST_KUBECONFIG:
 *
 *   npx tsx test/cluster/cleanupMain.ts [--run <id>]
 *
 * Prints what it removed; exits 1 when something could not be removed.
 */
import { parseArgs } from 'node:util';
import { KubeClient } from '../../src/kube/api';
import { loadKubeconfig } from '../../src/kube/config';
import { removeTestObjects } from './cleanup';
import { clusterSettings } from './settings';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { run: { type: 'string' }, quiet: { type: 'boolean', default: false } } });
  const settings = clusterSettings();
  if (!settings.kubeconfig) {
    process.stdout.write('TETHER_TEST_KUBECONFIG is not set: the simulator leaves nothing behind, nothing to clean up.\n');
    return 0;
  }
  const config = loadKubeconfig({ KUBECONFIG: settings.kubeconfig });
  const context = settings.context ?? config.currentContext;
  if (!context) throw new Error(`${settings.kubeconfig} names no current context; set TETHER_TEST_CONTEXT`);
  const client = KubeClient.forContext(config, context);
  try {
    const report = await removeTestObjects(client, { run: values.run });
    if (!values.quiet || report.removed.length > 0) {
      process.stdout.write(report.removed.length === 0 ? `Nothing to remove in context ${context}.\n` : `Removed from context ${context}:\n${report.removed.map((r) => `  ${r}\n`).join('')}`);
    }
    for (const p of report.problems) process.stderr.write(`  not removed: ${p}\n`);
    return report.problems.length === 0 ? 0 : 1;
  } finally {
    client.dispose();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`cleanup failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
