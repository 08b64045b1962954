/**
 * The CLI run in-process for tests: stdout and stderr kept, an environment and working folder of
 * the test's choosing, and Ctrl+C as a call.
 */
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/io';
import { runCli } from '../../src/cli/main';

export interface MemoryIo extends CliIo {
  /** What it wrote to stdout and stderr. */
  readonly printed: { out: string; err: string };
  /** What Ctrl+C does. */
  interrupt(): void;
}

export function memoryIo(options: { cwd?: string; env?: NodeJS.ProcessEnv; distDir?: string } = {}): MemoryIo {
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  return {
    get printed() {
      return { out: stdout, err: stderr };
    },
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    errIsTTY: false,
    env: options.env ?? { PATH: process.env.PATH },
    cwd: options.cwd ?? process.cwd(),
    distDir: options.distDir ?? path.join(__dirname, '..', '..', 'dist'),
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    onInterrupt: (listener) => {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    interrupt: () => {
      for (const l of [...listeners]) l();
    },
  };
}

/** `tether <args>` in this process: its exit code and what it printed. */
export async function runTether(args: readonly string[], options: Parameters<typeof memoryIo>[0] = {}): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(options);
  const code = await runCli(args, io);
  return { code, ...io.printed };
}
