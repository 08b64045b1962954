// The processes below a process, so that stopping a child stops everything it started: also what
// it put in a process group or session of its own (the simulator's pods, code-server's terminals),
// which a signal to the child's group does not reach and which outlives the child as an orphan.
// Each process is remembered with its start time, so a pid the system reuses is never taken for it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Every process as { pid, ppid, started }: from /proc on Linux, else from ps. */
function processTable() {
  if (existsSync('/proc/self/stat')) {
    return readdirSync('/proc').flatMap((name) => {
      if (!/^\d+$/.test(name)) return [];
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
        // cutime cstime priority nice threads itrealvalue starttime …; comm may hold spaces and parentheses.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return [{ pid: Number(name), ppid: Number(fields[1]), started: fields[19] }];
      } catch {
        return []; // it exited while the table was read
      }
    });
  }
  const out = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,lstart='], { encoding: 'utf8' });
  return out.split('\n').flatMap((line) => {
    const match = /^\s*(\d+)\s+(\d+)\s+(.+?)\s*$/.exec(line);
    return match ? [{ pid: Number(match[1]), ppid: Number(match[2]), started: match[3] }] : [];
  });
}

/** `pid`'s descendants as they are now, children before their own children. */
export function descendants(pid) {
  const table = processTable();
  const children = new Map();
  for (const p of table) {
    if (!children.has(p.ppid)) children.set(p.ppid, []);
    children.get(p.ppid).push(p);
  }
  const found = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const p = queue.shift();
    found.push(p);
    queue.push(...(children.get(p.pid) ?? []));
  }
  return found;
}

/** Those of `processes` still running as the same process (same start time). */
export function stillRunning(processes) {
  if (processes.length === 0) return [];
  const now = new Map(processTable().map((p) => [p.pid, p.started]));
  return processes.filter((p) => now.get(p.pid) === p.started);
}

/** Sends `signal` to each of `processes` that is still running; returns those. */
export function signalProcesses(processes, signal) {
  const running = stillRunning(processes);
  for (const p of running) {
    try {
      process.kill(p.pid, signal);
    } catch {
      // it exited meanwhile
    }
  }
  return running;
}
