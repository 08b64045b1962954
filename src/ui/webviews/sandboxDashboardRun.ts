/**
 * The dashboard's check runs: one at a time (asking again while one runs joins it), cancellable,
 * with the progress of the last run and the logs of its finished checks. Logs go to the webview
 * through one LogBatcher per check (batched, capped) and are kept, so a reloaded or re-shown
 * webview gets them again. Owns the run's AbortController and the batchers. Pure: no vscode,
 * the cluster behind `prepare` and the timer are injected.
 */
import type { Logger } from '../../kube/logger';
import type { Disposable } from '../../lifecycle';
import { pendingChecks, runCheckSuite, type CheckProgress, type RunOne, type SuiteResult } from '../../sandbox/checks/checkSuite';
import type { CheckRunTarget } from '../../sandbox/checks/checkPlan';
import type { CheckSpec } from '../../sandbox/spec';
import { LogBatcher, type BatchTimer } from './logBatcher';
import { logLines } from './sandboxDashboardModel';
import { maxCheckLogLines, type HostMessage } from './sandboxDashboardProtocol';

export type { CheckRunTarget } from '../../sandbox/checks/checkPlan';

export interface CheckRunsDeps {
  /** Resolves what a run needs, or throws an explained error saying why checks cannot run. */
  prepare(signal: AbortSignal): Promise<CheckRunTarget>;
  /** Posts a log batch; false when the webview is not listening (the lines are kept for its return). */
  post(message: Extract<HostMessage, { type: 'checkLog' }>): boolean;
  /** Something the view shows changed. */
  changed(): void;
  logger: Logger;
  concurrency?: number;
  /** Log lines read from each finished check; default 200. */
  logLines?: number;
  pollMs?: number;
  /** Runs one check (runCheck unless given). */
  run?: RunOne;
  timer?: BatchTimer;
  now?: () => number;
}

export class CheckRuns implements Disposable {
  private progressValue: CheckProgress[] = [];
  private checksValue: readonly CheckSpec[] = [];
  private runIdValue?: string;
  private durationValue?: number;
  private noticeValue?: string;
  private current?: { abort: AbortController; done: Promise<SuiteResult> };
  /** Log lines of the last run's finished checks, by check. */
  private readonly logs = new Map<string, string[]>();
  private readonly batchers = new Map<string, LogBatcher>();
  private disposed = false;

  constructor(
    private readonly label: string,
    private readonly deps: CheckRunsDeps,
  ) {}

  get running(): boolean {
    return this.current !== undefined;
  }

  /** The last run's progress, one entry per check. */
  get progress(): readonly CheckProgress[] {
    return this.progressValue;
  }

  /** The checks of the last run, as tether.yaml had them when it started. */
  get checks(): readonly CheckSpec[] {
    return this.checksValue;
  }

  get runId(): string | undefined {
    return this.runIdValue;
  }

  /** How long the last finished run took. */
  get durationMs(): number | undefined {
    return this.durationValue;
  }

  /** Why the last attempt could not start. */
  get notice(): string | undefined {
    return this.noticeValue;
  }

  /** The log lines kept for a check of the last run. */
  logOf(check: string): readonly string[] | undefined {
    return this.logs.get(check);
  }

  /** Runs every check; while a run is in progress, returns that run. */
  start(): Promise<SuiteResult> {
    if (this.current) return this.current.done;
    if (this.disposed) return Promise.reject(new Error('the dashboard is closed'));
    const abort = new AbortController();
    const done = this.runAll(abort.signal);
    const current = { abort, done };
    this.current = current;
    const finished = () => {
      if (this.current === current) this.current = undefined;
      this.deps.changed();
    };
    done.then(finished, finished);
    this.deps.changed();
    return done;
  }

  cancel(): void {
    this.current?.abort.abort();
  }

  /** A new webview starts empty: the last run's logs go to it again. */
  resendLogs(): void {
    this.stopLogs();
    const runId = this.runIdValue;
    if (!runId) return;
    for (const [check, lines] of this.logs) this.batcher(runId, check).push(lines);
  }

  /** The webview went away: nothing waits to be sent to it. */
  stopLogs(): void {
    for (const batcher of this.batchers.values()) batcher.dispose();
    this.batchers.clear();
  }

  private async runAll(signal: AbortSignal): Promise<SuiteResult> {
    this.noticeValue = undefined;
    let target: CheckRunTarget;
    try {
      target = await this.deps.prepare(signal);
    } catch (err) {
      this.noticeValue = err instanceof Error ? err.message : String(err);
      throw err;
    }
    const now = this.deps.now ?? Date.now;
    const runId = now().toString(36);
    this.runIdValue = runId;
    this.durationValue = undefined;
    this.logs.clear();
    this.stopLogs();
    this.checksValue = target.checks;
    this.progressValue = pendingChecks(target.checks);
    this.deps.changed();
    const result = await runCheckSuite(target.client, target.plan, target.checks, {
      lease: target.lease,
      runId,
      signal,
      concurrency: this.deps.concurrency,
      logLines: this.deps.logLines ?? 200,
      pollMs: this.deps.pollMs,
      run: this.deps.run,
      onUpdate: (p) => {
        if (this.runIdValue !== runId || this.disposed) return;
        this.progressValue = this.progressValue.map((c) => (c.name === p.name ? p : c));
        if (p.log !== undefined) {
          const lines = logLines(p.log);
          this.logs.set(p.name, lines);
          this.batcher(runId, p.name).push(lines);
        }
        this.deps.changed();
      },
    });
    this.durationValue = result.durationMs;
    this.deps.logger.info(`[checks] ${this.label}: ${result.passed} passed, ${result.failed} failed${result.cancelled ? ', cancelled' : ''} (run ${runId})`);
    return result;
  }

  private batcher(runId: string, check: string): LogBatcher {
    let batcher = this.batchers.get(check);
    if (!batcher) {
      batcher = new LogBatcher((lines, dropped) => this.deps.post({ type: 'checkLog', runId, check, lines, dropped }), { maxLines: maxCheckLogLines, timer: this.deps.timer });
      this.batchers.set(check, batcher);
    }
    return batcher;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cancel();
    this.stopLogs();
  }
}
