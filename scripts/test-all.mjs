// `npm test`: every tier, in order, stopping at the first failure (a tier that leaves files in
// the temp folder fails too: lib/tier-temp.mjs).
import { spawnSync } from 'node:child_process';
import { leftoverReport, tierTemp } from './lib/tier-temp.mjs';

const steps = [
  ['type check', 'npm', ['run', 'typecheck']],
  ['lint', 'npm', ['run', 'lint']],
  ['build', 'npm', ['run', 'build']],
  ['unit tests', 'npm', ['run', 'test:unit']],
  ['simulator tests', 'npm', ['run', 'test:sim']],
  ['extension-host tests', 'npm', ['run', 'test:host']],
  ['UI tests', 'npm', ['run', 'test:ui']],
];

const summary = [];
for (const [title, cmd, args] of steps) {
  console.log(`\n=== ${title} ===`);
  const started = Date.now();
  // Each step gets a temp folder of its own; anything `tether-*` it leaves there fails the step.
  const temp = tierTemp(title);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...temp.env } });
  const leak = leftoverReport(title, temp.finish());
  if (leak) console.error(`\n${leak}`);
  const status = leak && result.status === 0 ? 1 : result.status;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  summary.push(`${status === 0 ? 'ok  ' : 'FAIL'} ${title} (${seconds} s)`);
  if (status !== 0) {
    console.log(`\n${summary.join('\n')}`);
    process.exit(status ?? 1);
  }
}
console.log(`\n${summary.join('\n')}`);
