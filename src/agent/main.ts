/**
 * Entry point of the agent (bundled to dist/relay-agent.js, run by a stock node image): reads its
 * configuration from the environment and starts, in one process, the relay's end of the tunnel
 * (its data listener only when there are data ports), the preview gate when one is configured,
 * the health endpoint the readiness probe asks and, in a sandbox, the self-cleanup; it stops them
 * on SIGTERM/SIGINT. Only node's standard library is used, so the bundle runs anywhere node does.
 */
import { startAgent } from './agent';
import { selfCleanupFromEnvironment } from './cleanup';
import { ConfigError, readConfig } from './config';
import { healthPath, startHealth } from './health';
import { createLog } from './log';
import { startPreviewGate } from './previewGate';

async function main(): Promise<void> {
  const log = createLog();
  let config;
  try {
    config = readConfig(process.env);
  } catch (err) {
    log('config-error', { reason: (err as Error).message });
    process.exitCode = err instanceof ConfigError ? 2 : 1;
    return;
  }
  const agent = await startAgent(config, log);
  const gate = config.preview ? await startPreviewGate({ host: '0.0.0.0', ...config.preview }, log) : undefined;
  // Last: ready means every listener above is up.
  const health = await startHealth(config.controlHost, config.healthPort);
  log('health', { listen: `${config.controlHost}:${health.port}`, path: healthPath });
  // In a sandbox the agent also removes the sandbox once its Lease has lapsed past the TTL.
  const cleanup = selfCleanupFromEnvironment(process.env, (line) => log('self-cleanup', { message: line }));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('stopping', { signal });
    cleanup?.stop();
    const force = setTimeout(() => process.exit(0), 10_000);
    force.unref();
    void Promise.all([agent.close(), gate?.close(), health.close()]).then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: Error) => {
  process.stdout.write(`${new Date().toISOString()} fatal reason=${JSON.stringify(err.message)}\n`);
  process.exit(1);
});
