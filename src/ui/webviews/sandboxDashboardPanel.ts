/**
 * The sandbox dashboard panel: the sandbox (TTL left, forks, preview URL) and its checks with
 * their state, durations, failure reasons and logs. It owns its CheckRuns (closing the panel
 * cancels a run in progress) and the timer that moves TTL and running durations on; what it
 * shows about the sandbox is read on open and after each run.
 */
import type * as vscode from 'vscode';
import { Coalescer } from '../../kube/coalesce';
import type { Logger } from '../../kube/logger';
import type { Disposable } from '../../lifecycle';
import type { CheckProgress, SuiteResult } from '../../sandbox/checks/checkSuite';
import type { SandboxSummary } from '../../sandbox/lifecycle/lifecycle';
import type { CheckSpec } from '../../sandbox/spec';
import { dashboardView } from './sandboxDashboardModel';
import { isWebviewMessage, sandboxDashboardViewType, type HostMessage, type SandboxRef, type WebviewMessage } from './sandboxDashboardProtocol';
import { CheckRuns, type CheckRunTarget } from './sandboxDashboardRun';
import { WebviewPanelBase } from './webviewPanel';

/** What the dashboard shows about the sandbox, read fresh on open and after each run. */
export interface DashboardSource {
  summary?: SandboxSummary;
  forks: string[];
  /** The checks of the workspace's tether.yaml. */
  checks: CheckSpec[];
  /** Why something could not be read (no tether.yaml, not allowed to list…). */
  notice?: string;
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
}

const tickMs = 1000;
const ttlRefreshTicks = 15;

export class SandboxDashboardPanel extends WebviewPanelBase<HostMessage, WebviewMessage> {
  static readonly viewType = sandboxDashboardViewType;
  private source: DashboardSource = { forks: [], checks: [] };
  private loading = 0;
  private readonly view = this.store.add(new Coalescer(() => this.sendView(), 4));
  private readonly runs: CheckRuns;

  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly ref: SandboxRef,
    private readonly deps: SandboxDashboardDeps,
  ) {
    super(panel, extensionUri, isWebviewMessage, deps.logger);
    this.runs = this.store.add(
      new CheckRuns(ref.sandbox, {
        prepare: (signal) => deps.prepareRun(ref, signal),
        post: (message) => this.post(message),
        changed: () => this.view.signal(),
        logger: deps.logger,
      }),
    );
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
      if (this.isListening && (this.runs.running || ticks % ttlRefreshTicks === 0)) this.view.signal();
    }, tickMs);
    this.store.add({ dispose: () => clearInterval(timer) });
    this.store.add(deps.onPreviewChange(() => this.view.signal()));
    this.render({
      title: `Sandbox ${ref.sandbox}`,
      script: 'sandboxDashboard',
      style: 'sandboxDashboard.css',
      data: { context: ref.context, namespace: ref.namespace, sandbox: ref.sandbox },
    });
    void this.refresh();
  }

  get isRunning(): boolean {
    return this.runs.running;
  }

  /** The last run's progress, one entry per check. */
  get checks(): readonly CheckProgress[] {
    return this.runs.progress;
  }

  /** Reads the sandbox again (TTL, forks, the checks of tether.yaml). */
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
    const wasRunning = this.runs.running;
    const done = this.runs.start();
    if (!wasRunning) {
      const after = () => void this.refresh();
      done.then(after, after);
    }
    return done;
  }

  /** Cancels the run in progress, if any. */
  cancelChecks(): void {
    this.runs.cancel();
  }

  protected receive(message: WebviewMessage): void {
    switch (message.type) {
      case 'ready':
        this.sendView();
        this.runs.resendLogs();
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
    this.runs.stopLogs();
  }

  private sendView(): void {
    const runs = this.runs;
    // A run's own list of checks wins while it runs; otherwise tether.yaml's as it is now.
    const checks = runs.running ? runs.checks : this.source.checks;
    this.post({
      type: 'view',
      view: dashboardView({
        ref: this.ref,
        summary: this.source.summary,
        forks: this.source.forks,
        previewUrl: this.deps.previewUrl(this.ref),
        checks,
        progress: runs.progress,
        runId: runs.runId,
        running: runs.running,
        runDurationMs: runs.durationMs,
        notice: [runs.notice, this.source.notice].filter(Boolean).join(' · ') || undefined,
        now: Date.now(),
      }),
    });
  }
}
