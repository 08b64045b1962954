/**
 * SIGINT or SIGTERM sent to a script's own pid (not its process group, as a supervisor or an IDE
 * sends it) stops everything the script started, children of children included: the demo's
 * orchestration path (runScript, startProcess, run) through a stand-in with real processes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { processAlive } from '../../processAlive';

const double = resolve(__dirname, 'orchestrationDouble.mjs');

async function startDouble(): Promise<{ pid: number; below: number[]; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [double], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (!line.startsWith('{')) continue;
    const { pids } = JSON.parse(line) as { pids: number[] };
    return { pid: child.pid!, below: pids, exited };
  }
  throw new Error('the stand-in exited before it was ready');
}

/** Waits (bounded) for the processes to be gone; returns those still alive, after killing them so a failure leaves nothing behind. */
async function survivors(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 200 && pids.some(processAlive); i++) await new Promise((r) => setTimeout(r, 50));
  const left = pids.filter(processAlive);
  for (const pid of left) process.kill(pid, 'SIGKILL');
  return left;
}

for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
  test(`${signal} to the script's pid stops everything it started, children of children too`, async () => {
    const { pid, below, exited } = await startDouble();
    assert.ok(below.length >= 4, `the stand-in runs its processes: ${below.join(', ')}`);
    process.kill(pid, signal);
    assert.equal(await exited, code);
    assert.deepEqual(await survivors(below), [], 'no descendant survives');
  });
}

test('a second signal does not wait for the cleanups: everything is killed at once', async () => {
  const { pid, below, exited } = await startDouble();
  process.kill(pid, 'SIGTERM');
  process.kill(pid, 'SIGTERM');
  assert.equal(await exited, 143);
  assert.deepEqual(await survivors(below), [], 'no descendant survives');
});
