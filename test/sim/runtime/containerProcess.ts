/**
 * One run of one container as a local node process in its own process group: stdout and stderr
 * feed the container's log, the netns preload reports listens on a side pipe, and stopping
 * signals the whole group (SIGTERM, then SIGKILL after the grace period).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import type { Disposable } from '../../../src/lifecycle';
import { LineSplitter, type LogInstance } from './logStore';
import { preloadEnv, parseReport, reportFd, type NetnsReport } from './preloadProtocol';

export interface ProcessLaunch {
  /** Arguments after `node`, with container paths already mapped to host paths. */
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** CommonJS files node loads before the program (`--require`). */
  preloads: string[];
  /** Settings for the preloads (see preloadProtocol.ts); the report fd is added here. */
  preloadEnv: Record<string, string>;
  /** The pod name, which is also the container's hostname. */
  pod: string;
}

export interface ExitInfo {
  exitCode: number;
  signal: NodeJS.Signals | null;
  startedAt: Date;
  finishedAt: Date;
  /** Set when the process could not be started at all. */
  error?: string;
}

export class ContainerProcess implements Disposable {
  readonly startedAt = new Date();
  readonly exited: Promise<ExitInfo>;
  private readonly child: ChildProcess;
  private killTimer: NodeJS.Timeout | undefined;
  private running = true;

  constructor(launch: ProcessLaunch, log: LogInstance, onReport: (report: NetnsReport) => void) {
    const requires = launch.preloads.flatMap((path) => ['--require', path]);
    this.child = spawn(process.execPath, [...requires, ...launch.args], {
      cwd: launch.cwd,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: launch.cwd,
        HOSTNAME: launch.pod,
        ...launch.env,
        ...launch.preloadEnv,
        [preloadEnv.reportFd]: String(reportFd),
      },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const stdout = new LineSplitter((line) => log.append(line));
    const stderr = new LineSplitter((line) => log.append(line));
    this.child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    this.child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    const reports = new LineSplitter((line) => {
      const report = parseReport(line);
      if (report) onReport(report);
    });
    (this.child.stdio[reportFd] as Readable).on('data', (chunk: Buffer) => reports.push(chunk));

    this.exited = new Promise<ExitInfo>((resolve) => {
      const finish = (exitCode: number, signal: NodeJS.Signals | null, error?: string) => {
        if (!this.running) return;
        this.running = false;
        clearTimeout(this.killTimer);
        this.signalGroup('SIGKILL');
        stdout.flush();
        stderr.flush();
        if (error) log.append(`${error}\n`);
        resolve({ exitCode, signal, startedAt: this.startedAt, finishedAt: new Date(), error });
      };
      // Like a container whose main process ended: whatever it left running in its group goes too.
      this.child.once('exit', () => this.signalGroup('SIGKILL'));
      this.child.once('error', (err) => finish(128, null, `failed to start container process: ${err.message}`));
      this.child.once('close', (code, signal) => {
        finish(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0), signal);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isRunning(): boolean {
    return this.running;
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // the group is already gone
    }
  }

  /** SIGTERM to the process group, SIGKILL once `graceMs` has passed. */
  terminate(graceMs: number): Promise<ExitInfo> {
    if (this.running && this.killTimer === undefined) {
      this.signalGroup('SIGTERM');
      this.killTimer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
    }
    return this.exited;
  }

  /** SIGKILL to the whole group now. */
  dispose(): void {
    clearTimeout(this.killTimer);
    if (this.running) this.signalGroup('SIGKILL');
  }
}
