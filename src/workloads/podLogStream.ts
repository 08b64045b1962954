/**
 * One container's log from `pods/log` as a stream of lines: follow, previous run, timestamps,
 * tailLines. The response is split into lines as it arrives; the owner aborts through the signal.
 * Failures before the first byte are ExplainedErrors (thrown); a stream that breaks later reports
 * through the sink. Pure of VS Code.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestOptions } from '../kube/api';
import { kinds, resourcePath } from '../kube/kinds';
import { LineSplitter } from '../kube/lines';

export interface PodLogTarget {
  namespace: string;
  pod: string;
  /** May be left out for a pod with one container. */
  container?: string;
}

export interface PodLogOptions {
  follow: boolean;
  previous?: boolean;
  timestamps?: boolean;
  /** Lines from the end to start with (default 1000). */
  tailLines?: number;
}

export interface PodLogSink {
  lines(lines: string[]): void;
  /** The server closed the stream (the container stopped, or a log without follow was read). */
  end(): void;
  /** The stream broke after it started. */
  fail(err: Error): void;
}

/** What opens a streaming request (KubeClient satisfies it). */
export interface LogStreamSource {
  stream(options: RequestOptions): Promise<IncomingMessage>;
}

export const defaultTailLines = 1000;

/** The `pods/log` request for `target`. */
export function podLogRequest(target: PodLogTarget, options: PodLogOptions, signal?: AbortSignal): RequestOptions {
  const run = options.previous ? "the previous run's logs" : 'logs';
  return {
    what: `${options.follow ? 'Stream' : 'Read'} ${run} of ${target.container ? `container ${target.container} in ` : ''}pod ${target.namespace}/${target.pod}`,
    path: `${resourcePath(kinds.Pod, target.namespace, target.pod)}/log`,
    query: {
      container: target.container,
      follow: options.follow || undefined,
      previous: options.previous || undefined,
      timestamps: options.timestamps || undefined,
      tailLines: options.tailLines ?? defaultTailLines,
    },
    signal,
  };
}

/**
 * Opens the log and feeds `sink` until the stream ends or `signal` aborts. Resolves once the
 * stream is open; rejects (ExplainedError) when it cannot be opened.
 */
export async function streamPodLog(source: LogStreamSource, target: PodLogTarget, options: PodLogOptions, sink: PodLogSink, signal: AbortSignal): Promise<void> {
  const res = await source.stream(podLogRequest(target, options, signal));
  if (signal.aborted) {
    res.destroy();
    return;
  }
  const splitter = new LineSplitter(1024 * 1024);
  let finished = false;
  const finish = (err?: Error) => {
    if (finished) return;
    finished = true;
    signal.removeEventListener('abort', onAbort);
    if (signal.aborted) return;
    if (err) sink.fail(err);
    else sink.end();
  };
  const onAbort = () => res.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  res.on('data', (chunk: Buffer) => {
    const batch: string[] = [];
    try {
      splitter.push(chunk, (line) => batch.push(line.endsWith('\r') ? line.slice(0, -1) : line));
    } catch (err) {
      res.destroy(err as Error);
      return;
    }
    if (batch.length) sink.lines(batch);
  });
  res.once('end', () => {
    const rest: string[] = [];
    splitter.flush((line) => rest.push(line));
    if (rest.length) sink.lines(rest);
    finish();
  });
  res.once('error', (err) => finish(err));
  res.once('close', () => {
    if (!res.complete) finish(new Error('the connection closed before the log ended'));
  });
}
