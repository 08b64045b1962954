// `npm test`: every tier, in order, stopping at the first failure.
import { spawnSync } from 'node:child_process';

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
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  summary.push(`${result.status === 0 ? 'ok  ' : 'FAIL'} ${title} (${seconds} s)`);
  if (result.status !== 0) {
    console.log(`\n${summary.join('\n')}`);
    process.exit(result.status ?? 1);
  }
}
console.log(`\n${summary.join('\n')}`);
