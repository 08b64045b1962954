/**
 * Extension-host entry of the activation benchmark: times the first activation (module load
 * included) of each extension named in TETHER_BENCH_EXTENSIONS, in order, and writes
 * {"<id>": ms, …} to TETHER_BENCH_RESULTS. With TETHER_BENCH_MODULE (a copy of a bundle at a path
 * nothing has loaded), it also times a plain require() of that copy — module compile and top-level
 * evaluation without activate() — as "moduleLoadMs". Run by scripts/bench-activation.mjs.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const ids = JSON.parse(process.env.TETHER_BENCH_EXTENSIONS ?? '[]') as string[];
  const out = process.env.TETHER_BENCH_RESULTS;
  if (!ids.length || !out) throw new Error('TETHER_BENCH_EXTENSIONS and TETHER_BENCH_RESULTS must be set');
  console.log(`extension-host suite: activation benchmark of ${ids.join(', ')}`);
  const results: Record<string, number> = {};
  for (const id of ids) {
    const ext = vscode.extensions.getExtension(id);
    if (!ext) throw new Error(`extension ${id} is not loaded`);
    if (ext.isActive) throw new Error(`extension ${id} was already active, so its first activation cannot be timed`);
    const started = performance.now();
    await ext.activate();
    results[id] = performance.now() - started;
    console.log(`activated ${id} in ${results[id].toFixed(1)} ms`);
  }
  const copy = process.env.TETHER_BENCH_MODULE;
  if (copy) {
    const started = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(copy);
    results.moduleLoadMs = performance.now() - started;
  }
  writeFileSync(out, JSON.stringify(results));
}
