/**
 * What the CLI touches of its process, injected so tests drive it in-process: stdout for results,
 * stderr for progress and explanations (and whether it is a terminal), the environment, the
 * working folder, the folder its bundles are in, and interruption (Ctrl+C, SIGTERM).
 */
import type { Readable, Writable } from 'node:stream';
import type { Disposable } from '../lifecycle';

export interface CliIo {
  /** Results: what scripts read. */
  out(text: string): void;
  /** Progress, warnings and explained errors: what people read. */
  err(text: string): void;
  /** stderr is a terminal: progress redraws one line. */
  readonly errIsTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** The folder with the in-cluster bundle (relay-agent.js): dist/. */
  readonly distDir: string;
  /** Calls `listener` on Ctrl+C or SIGTERM, instead of the process dying. */
  onInterrupt(listener: () => void): Disposable;
  /** The raw streams, for a protocol spoken over them (`tether mcp`). */
  readonly stdin: Readable;
  readonly stdout: Writable;
}

export function processIo(distDir: string): CliIo {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    errIsTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
    distDir,
    stdin: process.stdin,
    stdout: process.stdout,
    onInterrupt: (listener) => {
      process.on('SIGINT', listener);
      process.on('SIGTERM', listener);
      return {
        dispose: () => {
          process.off('SIGINT', listener);
          process.off('SIGTERM', listener);
        },
      };
    },
  };
}
