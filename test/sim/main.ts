/**
 * CLI: starts the simulator, optionally seeds the demo cluster, prints one JSON line
 * `{"url":…,"kubeconfig":…,"context":…}` and runs until SIGINT/SIGTERM, then stops cleanly.
 *
 *   npx tsx test/sim/main.ts --kubeconfig <path> [--port N] [--seed demo] [--verbose]
 */
import { parseArgs } from 'node:util';
import { createPodRuntime } from './runtime';
import { demoCluster } from './seed';
import { startSimulator, type Simulator } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: 'string' },
      port: { type: 'string' },
      seed: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  if (values.seed !== undefined && values.seed !== 'demo') {
    throw new Error(`unknown seed "${values.seed}": the only seed is "demo"`);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${values.port}"`);
  // Pods that run `node` on a ConfigMap script (the relay agent, the sample app) run as real
  // processes; they reach this API server as in-cluster clients once its address is known.
  const inCluster: { sim?: Simulator } = {};
  const sim = await startSimulator({
    port,
    kubeconfigPath: values.kubeconfig,
    runtime: (cluster) => createPodRuntime(cluster, { apiServer: (pod) => inCluster.sim?.inClusterAccess(pod) }),
    log: values.verbose ? (m) => process.stderr.write(`[tether-sim] ${m}\n`) : undefined,
  });
  inCluster.sim = sim;
  if (values.seed === 'demo') sim.seed(demoCluster());
  process.stdout.write(`${JSON.stringify({ url: sim.url, kubeconfig: sim.kubeconfigPath, context: sim.context })}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[tether-sim] ${signal}: stopping\n`);
    sim.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`[tether-sim] stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`[tether-sim] could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
