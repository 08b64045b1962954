// The local Kubernetes API simulator as a child process (test/sim/main.ts): started with a seed,
// ready once it prints its JSON line {"url", "kubeconfig", "context"}, stopped by the Teardown.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from './repo.mjs';
import { startProcess } from './child-process.mjs';

export const SIMULATOR_MAIN = join(REPO_ROOT, 'test', 'sim', 'main.ts');

export function simulatorAvailable() {
  return existsSync(SIMULATOR_MAIN);
}

/** Starts the simulator writing its kubeconfig to `kubeconfig`; resolves with {url, kubeconfig, context, stop}. */
export function startSimulator(teardown, { kubeconfig, seed = 'demo', timeoutMs = 60000, echo = false }) {
  if (!simulatorAvailable()) throw new Error(`the Kubernetes API simulator is missing (${SIMULATOR_MAIN})`);
  const tsx = createRequire(join(REPO_ROOT, 'package.json')).resolve('tsx');
  return new Promise((resolve, reject) => {
    let ready = false;
    const stderr = [];
    const proc = startProcess(teardown, 'simulator', process.execPath,
      ['--import', tsx, SIMULATOR_MAIN, '--kubeconfig', kubeconfig, '--seed', seed], {
        cwd: REPO_ROOT,
        env: { ...process.env, NODE_OPTIONS: '' },
        onLine(stream, line) {
          if (!ready && stream === 'stdout' && line.trim().startsWith('{')) {
            try {
              const info = JSON.parse(line);
              ready = true;
              clearTimeout(timer);
              resolve({ ...info, stop: proc.stop });
              return;
            } catch {
              // not the ready line
            }
          }
          if (stream === 'stderr') stderr.push(line);
          if (echo) console.log(`[simulator] ${line}`);
        },
      });
    const timer = setTimeout(() => reject(new Error(`the simulator did not report ready within ${timeoutMs / 1000} s\n${stderr.slice(-20).join('\n')}`)), timeoutMs);
    proc.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`the simulator exited (${signal ?? code}) before it was ready\n${stderr.slice(-20).join('\n')}`));
    });
  });
}
