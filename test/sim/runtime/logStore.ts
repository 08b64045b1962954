/**
 * Container logs as the kubelet keeps them: one capped ring buffer of timestamped lines per
 * container instance, the current and the previous instance per container.
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

/** Every container's log instances, keyed by namespace/pod/container. */
export class LogStore implements Disposable {
  private readonly containers = new Map<string, LogInstance[]>();
  readonly clock = new LogClock();

  constructor(private readonly limits: LogLimits = defaultLogLimits) {}

  private static key(namespace: string, pod: string, container: string): string {
    return `${namespace}/${pod}/${container}`;
  }

  /** Starts a new instance (a container start or restart); the previous current one ends. */
  begin(namespace: string, pod: string, container: string): LogInstance {
    const key = LogStore.key(namespace, pod, container);
    const runs = this.containers.get(key) ?? [];
    runs.at(-1)?.end();
    const instance = new LogInstance(this.clock, this.limits);
    runs.push(instance);
    if (runs.length > 2) runs.shift();
    this.containers.set(key, runs);
    return instance;
  }

  current(namespace: string, pod: string, container: string): LogInstance | undefined {
    return this.containers.get(LogStore.key(namespace, pod, container))?.at(-1);
  }

  /** The last terminated instance before the current one. */
  previous(namespace: string, pod: string, container: string): LogInstance | undefined {
    const runs = this.containers.get(LogStore.key(namespace, pod, container));
    return runs && runs.length >= 2 ? runs[runs.length - 2] : undefined;
  }

  /** Appends to the current instance, starting one when the container has none yet. */
  append(namespace: string, pod: string, container: string, text: string): void {
    const instance = this.current(namespace, pod, container) ?? this.begin(namespace, pod, container);
    instance.append(text);
  }

  /** The pod is gone: end every instance (followers finish) and forget its logs. */
  removePod(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const [key, runs] of this.containers) {
      if (!key.startsWith(prefix)) continue;
      for (const run of runs) run.end();
      this.containers.delete(key);
    }
  }

  dispose(): void {
    for (const runs of this.containers.values()) for (const run of runs) run.end();
    this.containers.clear();
  }
}
