// Runs every *.test.ts under the given folders with node's own test runner (TypeScript through tsx).
// Usage: node scripts/run-node-tests.mjs test/unit [more folders] [-- extra node --test flags]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { leftoverReport, tierTemp } from './lib/tier-temp.mjs';

const args = process.argv.slice(2);
const split = args.indexOf('--');
const folders = split < 0 ? args : args.slice(0, split);
const extra = split < 0 ? [] : args.slice(split + 1);

function collect(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return collect(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = folders.flatMap(collect).sort();
if (files.length === 0) {
  console.error(`no *.test.ts under ${folders.join(', ')}`);
  process.exit(1);
}
// The tests run with a temp folder of their own: whatever they leave in it fails the run.
const temp = tierTemp(folders.join('+'));
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...extra, ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '', ...temp.env } },
);
const leak = leftoverReport(`the tests under ${folders.join(', ')}`, temp.finish());
if (leak) console.error(`\n${leak}`);
process.exit(leak && result.status === 0 ? 1 : (result.status ?? 1));
