// Child processes owned by a Teardown. Each runs in its own process group, and stopping it stops
// everything it started: its group gets SIGTERM (SIGKILL after a grace period), then whatever it
// had put in groups of their own (the simulator's pods, code-server's terminals) and left behind.
// A second Ctrl+C kills at once (Teardown's force kill).
import { spawn } from 'node:child_process';
import { descendants, signalProcesses, stillRunning } from './process-tree.mjs';

const GRACE_MS = 5000;

/**
 * Spawns `cmd` detached in a new process group and registers its stop with `teardown`.
 * `onLine(stream, line)` sees each output line; without it, output is discarded.
 */
export function startProcess(teardown, name, cmd, args, { cwd, env, onLine, graceMs = GRACE_MS } = {}) {
  const child = spawnOwned(teardown, cmd, args, { cwd, env, graceMs });
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
  return { child, exited, stop: child.stopTree };
}

/**
 * Spawns `cmd` in a process group of its own (stdio piped) and makes `teardown` its owner: at
 * teardown the child and everything below it is stopped. `child.stopTree()` does that earlier.
 * Throws, spawning nothing, once teardown has begun (the script is stopping).
 */
export function spawnOwned(teardown, cmd, args, { cwd, env, graceMs = GRACE_MS } = {}) {
  if (teardown.running) throw Object.assign(new Error(`not starting ${cmd}: stopping`), { name: 'AbortError' });
  const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const done = () => child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
  const exited = new Promise((resolve) => {
    if (child.pid === undefined) return resolve();
    child.once('exit', () => resolve());
    child.once('error', () => done() && resolve());
  });
  let stopping;
  child.stopTree = () => {
    stopping ??= (async () => {
      if (done()) return;
      // Taken while the child still runs: once it is gone, what it started belongs to init.
      const below = descendants(child.pid);
      signalGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      signalGroup(child.pid, 'SIGKILL'); // stragglers left in the group
      await stopOrphans(below, graceMs);
    })();
    return stopping;
  };
  teardown.add(child.stopTree, {
    kill: () => {
      if (done()) return;
      const below = descendants(child.pid);
      signalGroup(child.pid, 'SIGKILL');
      signalProcesses(below, 'SIGKILL');
    },
  });
  return child;
}

/** What a stopped child left running: SIGTERM, a grace period, then SIGKILL. */
async function stopOrphans(processes, graceMs) {
  if (signalProcesses(processes, 'SIGTERM').length === 0) return;
  const deadline = Date.now() + Math.min(graceMs, 2000);
  while (Date.now() < deadline && stillRunning(processes).length > 0) await new Promise((r) => setTimeout(r, 50));
  signalProcesses(processes, 'SIGKILL');
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}
