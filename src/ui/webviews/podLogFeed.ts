/**
 * The log a pod details panel shows: one pods/log stream at a time (switching container, run or
 * timestamps replaces it), lines batched for the webview, pause and resume, and a status line
 * that says what is happening in words. Owns the stream and the batcher. Pure of VS Code.
 */
import type { Disposable } from '../../lifecycle';
import type { Explanation } from '../../kube/errors';
import { streamPodLog, type LogStreamSource } from '../../workloads/podLogStream';
import { LogBatcher, type LogBatcherOptions } from './logBatcher';
import { maxLogLines, type LogSelection, type LogState, type PodRef } from './podDetailsProtocol';
import { editorRemedy } from '../stepWords';

export interface LogFeedOptions extends LogBatcherOptions {
  /**
   * Why a container has not started yet (containerStart.ts, from the pod as last seen); undefined
   * once it has run. A container that has not started has no log: the feed says why instead.
   */
  notStarted?: (container: string) => string | undefined;
}

export interface LogFeedOutput {
  /** A new log begins: the webview clears what it shows. */
  start(selection: LogSelection): void;
  lines(lines: string[], dropped: number): void;
  status(state: LogState, text: string): void;
}

/** The API server's 400 for a log: no such run (yet), e.g. "waiting to start", "previous … not found". */
function isUnavailable(err: unknown): boolean {
  return (err as Partial<Explanation> | undefined)?.status === 400;
}

function failureText(err: unknown): string {
  const e = err as Partial<Explanation> | undefined;
  if (e?.why && isUnavailable(err)) return `The log is not available: ${e.why}. Reconnect to try again.`;
  const next = e?.why ? editorRemedy({ ...e, remedy: e.remedy ?? '' }) : '';
  if (e?.why) return `${e.what ?? 'Reading the log'} failed: ${e.why}.${next ? ` ${next}.` : ''}`.replace(/\.\./g, '.');
  return `Reading the log failed: ${err instanceof Error ? err.message : String(err)}`;
}

export class PodLogFeed implements Disposable {
  private readonly batcher: LogBatcher;
  private current?: AbortController;
  private selectionValue?: LogSelection;
  private state: LogState = 'ended';
  private lastText = '';
  private disposed = false;
  private readonly maxLines: number;
  /** Said with the status while the stream lasts (why it is not the log that was asked for). */
  private note?: string;

  constructor(
    private readonly ref: PodRef,
    private readonly source: () => Promise<LogStreamSource>,
    private readonly out: LogFeedOutput,
    private readonly options: LogFeedOptions = {},
  ) {
    this.maxLines = options.maxLines ?? maxLogLines;
    this.batcher = new LogBatcher((lines, dropped) => this.out.lines(lines, dropped), { ...options, maxLines: this.maxLines });
  }

  /** "Container app has not started: …. Its log follows once it runs.", or undefined once it has run. */
  private notStartedText(selection: LogSelection): string | undefined {
    const why = selection.previous ? undefined : this.options.notStarted?.(selection.container);
    return why && `${why}. Its log follows once it runs.`;
  }

  get selection(): LogSelection | undefined {
    return this.selectionValue;
  }

  get paused(): boolean {
    return this.batcher.paused;
  }

  /**
   * Starts streaming `selection` (again, if it is the current one: a reconnect). A previous run
   * the server does not keep falls back to the current run, saying so.
   */
  async select(selection: LogSelection, note?: string): Promise<void> {
    if (this.disposed) return;
    this.stop();
    const abort = new AbortController();
    this.current = abort;
    this.selectionValue = selection;
    this.out.start(selection);
    const waiting = this.notStartedText(selection);
    if (waiting) return this.setState('ended', waiting);
    const what = selection.previous ? `the previous run of ${selection.container}` : selection.container;
    this.setState('connecting', `Connecting to the log of ${what}…`);
    const sink = {
      lines: (lines: string[]) => this.batcher.push(lines),
      end: () => {
        this.batcher.flush();
        this.setState(
          'ended',
          selection.previous
            ? `End of the previous run's log of ${selection.container}.`
            : (this.notStartedText(selection) ?? `The log stream of ${selection.container} ended (the container stopped, or the API server closed it). Reconnect to follow again.`),
        );
      },
      fail: (err: Error) => {
        this.batcher.flush();
        this.setState('failed', `The log stream of ${selection.container} broke: ${err.message}. Reconnect to follow again.`);
      },
    };
    try {
      const source = await this.source();
      if (abort.signal.aborted) return;
      await streamPodLog(source, { namespace: this.ref.namespace, pod: this.ref.name, container: selection.container }, { follow: !selection.previous, previous: selection.previous, timestamps: selection.timestamps }, sink, abort.signal);
      if (abort.signal.aborted || this.state !== 'connecting') return;
      this.note = note;
      this.setState(this.paused ? 'paused' : 'streaming', this.streamingText());
    } catch (err) {
      if (abort.signal.aborted) return;
      if (selection.previous && isUnavailable(err)) {
        const why = (err as Partial<Explanation>).why ?? String(err);
        await this.select({ ...selection, previous: false }, `No previous run's log of ${selection.container} (${why}); showing the current run.`);
        return;
      }
      const waitingNow = isUnavailable(err) ? this.notStartedText(selection) : undefined;
      if (waitingNow) return this.setState('ended', waitingNow);
      this.setState('failed', failureText(err));
    }
  }

  /**
   * The pod changed: while the selected container has not started (and so has no stream), say
   * why as it is now (Pending, then ContainerCreating, then maybe ImagePullBackOff).
   */
  refreshWaiting(): void {
    const selection = this.selectionValue;
    if (this.disposed || !selection || (this.state !== 'ended' && this.state !== 'failed')) return;
    const waiting = this.notStartedText(selection);
    if (waiting && waiting !== this.lastText) this.setState('ended', waiting);
  }

  setPaused(paused: boolean): void {
    if (this.disposed) return;
    this.batcher.setPaused(paused);
    if (this.state === 'streaming' || this.state === 'paused') this.setState(paused ? 'paused' : 'streaming', this.streamingText());
  }

  /** Stops the stream (the webview went away); `select` starts it again. */
  stop(): void {
    this.current?.abort();
    this.current = undefined;
    this.note = undefined;
    this.batcher.clear();
    this.state = 'ended';
  }

  private streamingText(): string {
    const s = this.selectionValue;
    if (!s) return '';
    if (this.note && !this.paused) return `${this.note} Following ${s.container}.`;
    if (this.paused) return `Paused: new lines of ${s.container} wait (the newest ${this.maxLines.toLocaleString('en-US')} are kept) until you resume.`;
    return s.previous ? `Reading the previous run of ${s.container}…` : `Following ${s.container}.`;
  }

  private setState(state: LogState, text: string): void {
    this.state = state;
    this.lastText = text;
    this.out.status(state, text);
  }

  dispose(): void {
    if (this.disposed) return;
    this.stop();
    this.disposed = true;
    this.batcher.dispose();
  }
}
