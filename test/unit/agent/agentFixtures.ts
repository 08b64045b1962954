/** Runs the relay agent as a child process (from source through tsx, or a bundle) and reads its log. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connect, type Socket } from 'node:net';

export const AGENT_SOURCE = fileURLToPath(new URL('../../../src/agent/main.ts', import.meta.url));

export interface AgentProcess {
  child: ChildProcess;
  controlPort: number;
  dataPorts: number[];
  /** Everything the agent printed so far. */
  output(): string;
  /** Resolves with the first log line that matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  connectControl(): Promise<Socket>;
  stop(): Promise<void>;
}

export async function startAgentProcess(env: Record<string, string>, script = AGENT_SOURCE): Promise<AgentProcess> {
  const args = script.endsWith('.ts') ? ['--import', 'tsx', script] : [script];
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', TETHER_CONTROL_PORT: '0', TETHER_HEALTH_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const watchers = new Set<() => void>();
  const onText = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const w of [...watchers]) w();
  };
  child.stdout!.on('data', onText);
  child.stderr!.on('data', onText);
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = signal ?? `code ${code}`;
      for (const w of [...watchers]) w();
      resolve();
    }),
  );
  const waitFor = (pattern: RegExp, timeoutMs = 15_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = output.split('\n').find((l) => pattern.test(l));
        if (line === undefined && exit !== undefined) {
          watchers.delete(check);
          clearTimeout(timer);
          reject(new Error(`the agent exited (${exit}) before logging ${pattern}; it printed:\n${output}`));
          return;
        }
        if (line === undefined) return;
        watchers.delete(check);
        clearTimeout(timer);
        resolve(line);
      };
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(new Error(`the agent did not log ${pattern} within ${timeoutMs} ms; it printed:\n${output}`));
      }, timeoutMs);
      watchers.add(check);
      check();
    });
  const listening = await waitFor(/ listening /);
  const controlPort = Number(/control=127\.0\.0\.1:(\d+)/.exec(listening)![1]);
  const data = /data=(\S+)/.exec(listening)![1];
  return {
    child,
    controlPort,
    dataPorts: data === 'none' ? [] : data.split(',').map(Number),
    output: () => output,
    waitFor,
    connectControl: () =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: controlPort, noDelay: true });
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
