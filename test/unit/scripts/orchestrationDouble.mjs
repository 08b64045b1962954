// A stand-in for the demo's orchestration (scripts/demo.mjs), for signals.test.ts: the same
// runScript / Teardown / startProcess / run path with real processes. A long-lived child (as the
// simulator) starts a process in a group of its own (as the simulator's pods) and one that ignores
// SIGTERM; a short command (as npm ci or the build) is still running. Once all run, it prints
// {"pids": [...]}: everything below it.
import { startProcess } from '../../../scripts/lib/child-process.mjs';
import { run } from '../../../scripts/lib/process-run.mjs';
import { descendants } from '../../../scripts/lib/process-tree.mjs';
import { runScript } from '../../../scripts/lib/teardown.mjs';

const idle = 'setInterval(() => {}, 1000)';
const server = `
const { spawn } = require('node:child_process');
const pod = spawn(process.execPath, ['-e', ${JSON.stringify(idle)}], { detached: true, stdio: 'ignore' });
const stubborn = spawn(process.execPath, ['-e', ${JSON.stringify(`process.on('SIGTERM', () => {}); ${idle}`)}], { stdio: 'ignore' });
console.log('started ' + pod.pid + ' ' + stubborn.pid);
${idle};
`;

runScript(async (teardown) => {
  await new Promise((resolve) => {
    startProcess(teardown, 'server', process.execPath, ['-e', server], { graceMs: 1000, onLine: (_stream, line) => line.startsWith('started') && resolve() });
  });
  const command = run(process.execPath, ['-e', idle], { teardown, quiet: true }).catch(() => undefined);
  while (descendants(process.pid).length < 4) await new Promise((r) => setTimeout(r, 20));
  console.log(JSON.stringify({ pids: descendants(process.pid).map((p) => p.pid) }));
  await command;
  return 0;
});
