/**
 * Entry point of the relay agent (bundled to dist/relay-agent.js, run by a stock node image):
 * reads its configuration from the environment, starts the agent (unless it is a gate-only relay),
 * the preview gate when one is configured and, in a sandbox, the self-cleanup, and stops them on
 * SIGTERM/SIGINT.
 * Only node's standard library is used, so the bundle runs anywhere node does.
 */
import { startAgent } from './agent';
import { selfCleanupFromEnvironment } from './cleanup';
import { ConfigError, readConfig } from './config';
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
  const agent = config.control === false ? undefined : await startAgent(config, log);
  const gate = config.preview ? await startPreviewGate({ host: '0.0.0.0', ...config.preview }, log) : undefined;
  // In a sandbox the relay also removes the sandbox once its Lease has lapsed past the TTL.
  const cleanup = selfCleanupFromEnvironment(process.env, (line) => log('self-cleanup', { message: line }));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('stopping', { signal });
    cleanup?.stop();
    const force = setTimeout(() => process.exit(0), 10_000);
    force.unref();
    void Promise.all([agent?.close(), gate?.close()]).then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: Error) => {
  process.stdout.write(`${new Date().toISOString()} fatal reason=${JSON.stringify(err.message)}\n`);
  process.exit(1);
});
