/**
 * Container logs as the kubelet keeps them: one capped ring buffer of timestamped lines per
 * container run, named by the run's container ID; per container the latest run and the one before
 * it (the runtime keeps the last terminated container, which `previous=true` reads).
 */
import { StringDecoder } from 'node:string_decoder';
import { Emitter, type Disposable } from '../../../src/lifecycle';

export interface LogEntry {
  /** Nanoseconds since the epoch. */
  time: bigint;
  /** One line including its trailing newline (a final partial line has none). */
  text: string;
}

export interface LogLimits {
  maxLines: number;
  maxBytes: number;
}

export const defaultLogLimits: LogLimits = { maxLines: 10_000, maxBytes: 4 * 1024 * 1024 };

/** A wall clock with nanosecond resolution that never goes backwards. */
export class LogClock {
  private readonly base = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

  now(): bigint {
    return this.base + process.hrtime.bigint();
  }
}

/** RFC 3339 with exactly nine fractional digits, as the kubelet prints with `timestamps=true`. */
export function formatTimestamp(ns: bigint): string {
  const seconds = new Date(Number(ns / 1_000_000n)).toISOString().slice(0, 19);
  return `${seconds}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}Z`;
}

/** The log of one run of one container. */
export class LogInstance implements Disposable {
  private readonly lines: LogEntry[] = [];
  private bytes = 0;
  private finished = false;
  private readonly appended = new Emitter<LogEntry>();
  private readonly ended = new Emitter<void>();
  readonly onAppend = this.appended.event;
  readonly onEnd = this.ended.event;

  constructor(
    private readonly clock: LogClock,
    private readonly limits: LogLimits,
    /** The container ID of this run, as the Pod status names it ("" when the runtime gave none). */
    readonly containerID = '',
  ) {}

  get isEnded(): boolean {
    return this.finished;
  }

  entries(): readonly LogEntry[] {
    return this.lines;
  }

  append(text: string): void {
    if (this.finished) return;
    const entry = { time: this.clock.now(), text };
    this.lines.push(entry);
    this.bytes += Buffer.byteLength(text);
    while (this.lines.length > this.limits.maxLines || (this.bytes > this.limits.maxBytes && this.lines.length > 1)) {
      this.bytes -= Buffer.byteLength(this.lines.shift()!.text);
    }
    this.appended.fire(entry);
  }

  /** No more lines will come: followers finish. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.ended.fire();
    this.dispose();
  }

  dispose(): void {
    this.appended.dispose();
    this.ended.dispose();
  }
}

/** Splits a byte stream into lines (kept with their newline), holding a partial line until it completes. */
export class LineSplitter {
  private partial = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly emit: (line: string) => void,
    private readonly maxLine = 16 * 1024,
  ) {}

  push(chunk: Buffer | string): void {
    let text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    let newline = text.indexOf('\n');
    while (newline >= 0) {
      this.emit(text.slice(0, newline + 1));
      text = text.slice(newline + 1);
      newline = text.indexOf('\n');
    }
    while (text.length > this.maxLine) {
      this.emit(text.slice(0, this.maxLine));
      text = text.slice(this.maxLine);
    }
    this.partial = text;
  }

  flush(): void {
    this.partial += this.decoder.end();
    if (this.partial) this.emit(this.partial);
    this.partial = '';
  }
}

/** Every container's log runs, keyed by namespace/pod/container: the latest run and the one before. */
export class LogStore implements Disposable {
  private readonly containers = new Map<string, LogInstance[]>();
  readonly clock = new LogClock();

  constructor(private readonly limits: LogLimits = defaultLogLimits) {}

  private static key(namespace: string, pod: string, container: string): string {
    return `${namespace}/${pod}/${container}`;
  }

  /** A run of the container starts (its first start or a restart) as `containerID`; the latest one ends. */
  begin(namespace: string, pod: string, container: string, containerID = ''): LogInstance {
    const key = LogStore.key(namespace, pod, container);
    const runs = this.containers.get(key) ?? [];
    runs.at(-1)?.end();
    const instance = new LogInstance(this.clock, this.limits, containerID);
    runs.push(instance);
    if (runs.length > 2) runs.shift();
    this.containers.set(key, runs);
    return instance;
  }

  /** The latest run of the container. */
  current(namespace: string, pod: string, container: string): LogInstance | undefined {
    return this.containers.get(LogStore.key(namespace, pod, container))?.at(-1);
  }

  /** The run before the latest one. */
  previous(namespace: string, pod: string, container: string): LogInstance | undefined {
    const runs = this.containers.get(LogStore.key(namespace, pod, container));
    return runs && runs.length >= 2 ? runs[runs.length - 2] : undefined;
  }

  /** The kept run with this container ID. */
  run(namespace: string, pod: string, container: string, containerID: string): LogInstance | undefined {
    return this.containers.get(LogStore.key(namespace, pod, container))?.find((r) => r.containerID === containerID);
  }

  /** Appends to the latest run, starting one when the container has none yet. */
  append(namespace: string, pod: string, container: string, text: string): void {
    const instance = this.current(namespace, pod, container) ?? this.begin(namespace, pod, container);
    instance.append(text);
  }

  /** The pod's containers stopped: every run ends (followers finish); the logs stay readable. */
  endPod(namespace: string, pod: string): void {
    for (const runs of this.runsOf(namespace, pod)) for (const run of runs) run.end();
  }

  /** The pod is gone: end every run (followers finish) and forget its logs. */
  removePod(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const [key, runs] of this.containers) {
      if (!key.startsWith(prefix)) continue;
      for (const run of runs) run.end();
      this.containers.delete(key);
    }
  }

  private runsOf(namespace: string, pod: string): LogInstance[][] {
    const prefix = `${namespace}/${pod}/`;
    return [...this.containers].filter(([key]) => key.startsWith(prefix)).map(([, runs]) => runs);
  }

  dispose(): void {
    for (const runs of this.containers.values()) for (const run of runs) run.end();
    this.containers.clear();
  }
}
