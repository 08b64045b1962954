// Builds the extension and the extension-host test bundle when a source is newer than an output.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repo.mjs';
import { run } from './process-run.mjs';

const SOURCES = ['src', 'media', 'test/host', 'package.json', 'esbuild.mjs'];
export const OUTPUTS = {
  extension: join(REPO_ROOT, 'dist', 'extension.js'),
  hostTests: join(REPO_ROOT, 'out', 'test', 'host', 'index.js'),
};

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Runs `node esbuild.mjs` unless every output is newer than every source; `teardown` owns the run. */
export async function ensureBuilt(teardown) {
  const outputs = Object.values(OUTPUTS);
  const oldestOutput = Math.min(...outputs.map((p) => (existsSync(p) ? statSync(p).mtimeMs : 0)));
  const newestSource = Math.max(...SOURCES.map((p) => newest(join(REPO_ROOT, p))));
  if (oldestOutput > newestSource) return;
  console.log('building (node esbuild.mjs)');
  await run(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, teardown });
  for (const out of outputs) {
    if (!existsSync(out)) throw new Error(`the build did not produce ${out}`);
  }
}
