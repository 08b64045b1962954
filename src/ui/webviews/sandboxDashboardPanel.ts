/**
 * The sandbox dashboard panel: the sandbox (TTL left, forks, preview URL) and its checks with
 * their state, durations, failure reasons and logs. It owns the check run it starts (one at a
 * time; closing the panel cancels it), the log batchers that carry finished checks' logs to the
 * webview, and the timer that moves TTL and running durations on. Logs of the last run are kept,
 * so a reloaded or re-shown webview gets them again.
 */
import type * as vscode from 'vscode';
import type { KubeClient } from '../../kube/api';
import { Coalescer } from '../../kube/coalesce';
import type { Logger } from '../../kube/logger';
import type { Disposable } from '../../lifecycle';
import type { KubeObject } from '../../kube/types';
import { pendingChecks, runCheckSuite, type CheckProgress, type SuiteResult } from '../../sandbox/checkSuite';
import type { SandboxSummary } from '../../sandbox/lifecycle';
import type { SandboxPlan } from '../../sandbox/plan';
import type { CheckSpec } from '../../sandbox/spec';
import { LogBatcher } from './logBatcher';
import { dashboardView, logLines } from './sandboxDashboardModel';
import { isWebviewMessage, maxCheckLogLines, sandboxDashboardViewType, type HostMessage, type SandboxRef, type WebviewMessage } from './sandboxDashboardProtocol';
import { WebviewPanelBase } from './webviewPanel';

/** What the dashboard shows about the sandbox, read fresh on open, reload and after each run. */
export interface DashboardSource {
  summary?: SandboxSummary;
  forks: string[];
  /** The checks of the workspace's tether.yaml. */
  checks: CheckSpec[];
  /** Why something could not be read (no tether.yaml, not allowed to list…). */
  notice?: string;
}

/** What a check run needs; `client` stays owned by whoever gave it. */
export interface CheckRunTarget {
  client: KubeClient;
  plan: SandboxPlan;
  lease: KubeObject;
  checks: CheckSpec[];
}

export interface SandboxDashboardDeps {
  load(ref: SandboxRef): Promise<DashboardSource>;
  /** Resolves what a run needs, or throws an explained error saying why checks cannot run. */
  prepareRun(ref: SandboxRef, signal: AbortSignal): Promise<CheckRunTarget>;
  /** The preview URL while the sandbox's preview runs in this window (cheap: no cluster call). */
  previewUrl(ref: SandboxRef): string | undefined;
  /** Fires when previews in this window start, stop or change. */
  onPreviewChange(listener: () => void): Disposable;
  logger: Logger;
  concurrency?: number;
  /** Log lines read from each finished check; default 200. */
  logLines?: number;
}

const tickMs = 1000;
const ttlRefreshTicks = 15;

export class SandboxDashboardPanel extends WebviewPanelBase<HostMessage, WebviewMessage> {
  static readonly viewType = sandboxDashboardViewType;
  private source: DashboardSource = { forks: [], checks: [] };
  private loading = 0;
  private progress: CheckProgress[] = [];
  private runId?: string;
  private runDurationMs?: number;
  private runNotice?: string;
  private run?: { abort: AbortController; done: Promise<SuiteResult> };
  /** Log lines of the last run's finished checks, by check. */
  private readonly logs = new Map<string, string[]>();
  private readonly batchers = new Map<string, LogBatcher>();
  private readonly view = this.store.add(new Coalescer(() => this.sendView(), 4));

  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly ref: SandboxRef,
    private readonly deps: SandboxDashboardDeps,
  ) {
    super(panel, extensionUri, isWebviewMessage, deps.logger);
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
      if (this.isListening && (this.run || ticks % ttlRefreshTicks === 0)) this.view.signal();
    }, tickMs);
    this.store.add({ dispose: () => clearInterval(timer) });
    this.store.add(deps.onPreviewChange(() => this.view.signal()));
    this.store.add({ dispose: () => this.run?.abort.abort() });
    this.store.add({ dispose: () => this.clearBatchers() });
    this.render({
      title: `Sandbox ${ref.sandbox}`,
      script: 'sandboxDashboard',
      style: 'sandboxDashboard.css',
      data: { context: ref.context, namespace: ref.namespace, sandbox: ref.sandbox },
    });
    void this.refresh();
  }

  /** True while a check run is in progress. */
  get isRunning(): boolean {
    return this.run !== undefined;
  }

  /** The last run's progress, one entry per check. */
  get checks(): readonly CheckProgress[] {
    return this.progress;
  }

  /** Reads the sandbox again (TTL, forks, preview URL, the checks of tether.yaml). */
  async refresh(): Promise<void> {
    const attempt = ++this.loading;
    try {
      const source = await this.deps.load(this.ref);
      if (attempt !== this.loading || this.isDisposed) return;
      this.source = source;
    } catch (err) {
      if (attempt !== this.loading || this.isDisposed) return;
      this.source = { ...this.source, notice: err instanceof Error ? err.message : String(err) };
    }
    this.view.signal();
  }

  /** Runs every check of the sandbox; while a run is in progress, returns that run. */
  runChecks(): Promise<SuiteResult> {
    if (this.run) return this.run.done;
    const abort = new AbortController();
    const done = this.startRun(abort.signal);
    const run = { abort, done };
    this.run = run;
    const finished = () => {
      if (this.run === run) this.run = undefined;
      this.view.signal();
      void this.refresh();
    };
    done.then(finished, finished);
    this.view.signal();
    return done;
  }

  /** Cancels the run in progress, if any. */
  cancelChecks(): void {
    this.run?.abort.abort();
  }

  protected receive(message: WebviewMessage): void {
    switch (message.type) {
      case 'ready':
        this.sendView();
        this.resendLogs();
        break;
      case 'runChecks':
        // A failure is on screen as the run's notice; the log has the details.
        this.runChecks().catch((err: unknown) => this.deps.logger.warn(`[checks] ${this.ref.sandbox}: ${err instanceof Error ? err.message : String(err)}`));
        break;
      case 'cancelChecks':
        this.cancelChecks();
        break;
    }
  }

  protected override hidden(): void {
    this.clearBatchers();
  }

  private async startRun(signal: AbortSignal): Promise<SuiteResult> {
    this.runNotice = undefined;
    let target: CheckRunTarget;
    try {
      target = await this.deps.prepareRun(this.ref, signal);
    } catch (err) {
      this.runNotice = err instanceof Error ? err.message : String(err);
      throw err;
    }
    this.runDurationMs = undefined;
    this.logs.clear();
    this.clearBatchers();
    const runId = Date.now().toString(36);
    this.runId = runId;
    this.source = { ...this.source, checks: target.checks };
    this.progress = pendingChecks(target.checks);
    this.view.signal();
    const result = await runCheckSuite(target.client, target.plan, target.checks, {
      lease: target.lease,
      runId,
      signal,
      concurrency: this.deps.concurrency,
      logLines: this.deps.logLines ?? 200,
      onUpdate: (p) => {
        if (this.runId !== runId) return;
        this.progress = this.progress.map((c) => (c.name === p.name ? p : c));
        if (p.log !== undefined) this.addLog(runId, p.name, logLines(p.log));
        this.view.signal();
      },
    });
    this.runDurationMs = result.durationMs;
    this.deps.logger.info(`[checks] ${this.ref.sandbox}: ${result.passed} passed, ${result.failed} failed${result.cancelled ? ', cancelled' : ''} (run ${runId})`);
    return result;
  }

  private addLog(runId: string, check: string, lines: string[]): void {
    this.logs.set(check, lines);
    this.batcher(runId, check).push(lines);
  }

  private batcher(runId: string, check: string): LogBatcher {
    let batcher = this.batchers.get(check);
    if (!batcher) {
      batcher = new LogBatcher((lines, dropped) => this.post({ type: 'checkLog', runId, check, lines, dropped }), { maxLines: maxCheckLogLines });
      this.batchers.set(check, batcher);
    }
    return batcher;
  }

  /** A new webview starts empty: the last run's logs go to it again. */
  private resendLogs(): void {
    this.clearBatchers();
    const runId = this.runId;
    if (!runId) return;
    for (const [check, lines] of this.logs) this.batcher(runId, check).push(lines);
  }

  private clearBatchers(): void {
    for (const batcher of this.batchers.values()) batcher.dispose();
    this.batchers.clear();
  }

  private sendView(): void {
    const notice = [this.runNotice, this.source.notice].filter(Boolean).join(' · ') || undefined;
    this.post({
      type: 'view',
      view: dashboardView({
        ref: this.ref,
        summary: this.source.summary,
        forks: this.source.forks,
        previewUrl: this.deps.previewUrl(this.ref),
        checks: this.source.checks,
        progress: this.progress,
        runId: this.runId,
        running: this.run !== undefined,
        runDurationMs: this.runDurationMs,
        notice,
        now: Date.now(),
      }),
    });
  }
}
