/**
 * Entry point of the relay agent (bundled to dist/relay-agent.js, run by a stock node image):
 * reads its configuration from the environment, starts the agent, and stops it on SIGTERM/SIGINT.
 * Only node's standard library is used, so the bundle runs anywhere node does.
 */
import { startAgent } from './agent';
import { ConfigError, readConfig } from './config';
import { createLog } from './log';

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
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('stopping', { signal });
    const force = setTimeout(() => process.exit(0), 10_000);
    force.unref();
    void agent.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: Error) => {
  process.stdout.write(`${new Date().toISOString()} fatal reason=${JSON.stringify(err.message)}\n`);
  process.exit(1);
});
