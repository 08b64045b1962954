// Long-lived child processes owned by a Teardown. Each runs in its own process group so that
// stopping it also stops what it started (code-server's extension host, the simulator's pods).
import { spawn } from 'node:child_process';

/**
 * Spawns `cmd` detached in a new process group and registers its stop with `teardown`.
 * `onLine(stream, line)` sees each output line; without it, output is discarded.
 */
export function startProcess(teardown, name, cmd, args, { cwd, env, onLine } = {}) {
  const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    // A command that cannot be started never exits.
    child.on('error', (err) => {
      console.error(`${name}: ${err.message}`);
      if (child.pid === undefined) resolve({ code: null, signal: null, error: err });
    });
  });
  for (const stream of ['stdout', 'stderr']) {
    let pending = '';
    child[stream].setEncoding('utf8');
    child[stream].on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) onLine?.(stream, line);
    });
  }
  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      signalGroup(child.pid, 'SIGKILL'); // stragglers left in the group
    })();
    return stopping;
  };
  teardown.add(stop);
  return { child, exited, stop };
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}
