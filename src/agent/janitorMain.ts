/**
 * Entry point of the sandbox janitor (bundled on its own, run by a stock node image): for
 * sandboxes without a relay, it is the in-cluster process that deletes the sandbox once its Lease
 * lapsed past the TTL. Only node's standard library is used.
 */
import { selfCleanupFromEnvironment } from './cleanup';

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
const cleanup = selfCleanupFromEnvironment(process.env, log);
if (!cleanup) {
  log('no sandbox to watch: TETHER_SANDBOX, TETHER_NAMESPACE and TETHER_LEASE must be set');
  process.exitCode = 2;
} else {
  void cleanup.done.then((deleted) => log(`sandbox deleted: ${deleted.join(', ') || 'nothing was left'}`));
  const stop = () => {
    cleanup.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
