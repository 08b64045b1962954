/**
 * The pod details panel: renders the pod's view model as it changes (at most four times a second)
 * and streams the log the webview picked. The pod and event watches run while the panel is open;
 * the log stream only while its webview is alive (a hidden webview is destroyed and restarts the
 * stream when shown). Owns its PodWatch and PodLogFeed.
 */
import type * as vscode from 'vscode';
import type { Disposable } from '../../lifecycle';
import { Coalescer } from '../../kube/coalesce';
import type { Logger } from '../../kube/logger';
import { defaultLogSelection, goneView, podDetailsView } from './podDetailsModel';
import {
  isWebviewMessage,
  podDetailsViewType,
  type HostMessage,
  type LogSelection,
  type LogState,
  type PodDetailsView,
  type PodRef,
  type WebviewMessage,
} from './podDetailsProtocol';
import { PodLogFeed } from './podLogFeed';
import { containerNotStarted } from '../views/containerStart';
import { PodWatch, type PodWatchAccess } from './podWatch';
import { panelTitle } from './podDetailsTarget';
import { WebviewPanelBase } from './webviewPanel';

export interface PodDetailsDeps {
  /** Cluster access (loads the kubeconfig on first use). */
  access(): Promise<PodWatchAccess>;
  /** Fires when cluster access may have been replaced (kubeconfig reloaded): watch again. */
  onAccessChanged(listener: () => void): Disposable;
  logger: Logger;
}

const ageRefreshMs = 15_000;

export class PodDetailsPanel extends WebviewPanelBase<HostMessage, WebviewMessage> {
  static readonly viewType = podDetailsViewType;
  private watch?: PodWatch;
  private watching = 0;
  private viewValue?: PodDetailsView;
  private readonly details = this.store.add(new Coalescer(() => this.sendDetails(), 4));
  private readonly log: PodLogFeed;
  /** The log selection the webview asked for, or the one it had before a reload. */
  private wanted?: LogSelection;
  private readyCount = 0;
  private linesPosted = 0;
  /** The followed container's run (its restart count, and whether it had started) when its log stream began. */
  private followedRun?: { restarts: number; started: boolean };
  private lastLogStatus?: { state: LogState; text: string };

  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly ref: PodRef,
    private readonly deps: PodDetailsDeps,
    initial: { selection?: LogSelection } = {},
  ) {
    super(panel, extensionUri, isWebviewMessage, deps.logger);
    this.wanted = initial.selection;
    this.log = this.store.add(
      new PodLogFeed(ref, async () => (await deps.access()).client(ref.context), {
        start: (selection) => {
          const container = this.viewValue?.containers.find((c) => c.name === selection.container);
          this.followedRun = container && { restarts: container.restarts, started: container.started };
          this.post({ type: 'logStart', selection });
        },
        lines: (lines, dropped) => {
          if (this.post({ type: 'logLines', lines, dropped })) this.linesPosted += lines.length;
        },
        status: (state, text) => {
          this.lastLogStatus = { state, text };
          this.post({ type: 'logStatus', state, text });
        },
      }, { notStarted: (container) => (this.watch?.pod ? containerNotStarted(this.watch.pod, container) : undefined) }),
    );
    this.store.add({ dispose: () => this.watch?.dispose() });
    // Ages ("3m", "12s ago") move on without any change to the pod.
    const ages = setInterval(() => this.isListening && this.details.signal(), ageRefreshMs);
    this.store.add({ dispose: () => clearInterval(ages) });
    this.store.add(deps.onAccessChanged(() => void this.startWatch()));
    this.render({
      title: panelTitle(ref),
      script: 'podDetails',
      style: 'podDetails.css',
      data: { context: ref.context, namespace: ref.namespace, name: ref.name },
    });
    void this.startWatch();
  }

  /** What the panel shows now (undefined until the pod was first seen). */
  get view(): PodDetailsView | undefined {
    return this.viewValue;
  }

  /** How many times the webview said ready (a reload or re-show says it again). */
  get readyMessages(): number {
    return this.readyCount;
  }

  get logSelection(): LogSelection | undefined {
    return this.log.selection;
  }

  /** The log's last status, and how many of its lines reached the webview. */
  get logProgress(): { status?: { state: LogState; text: string }; linesPosted: number } {
    return { status: this.lastLogStatus, linesPosted: this.linesPosted };
  }

  protected receive(message: WebviewMessage): void {
    switch (message.type) {
      case 'ready':
        this.readyCount++;
        if (message.selection) this.wanted = message.selection;
        this.sendDetails();
        this.startLog();
        break;
      case 'selectLog':
        this.wanted = message.selection;
        void this.log.select(message.selection);
        break;
      case 'setPaused':
        this.log.setPaused(message.paused);
        break;
    }
  }

  protected override hidden(): void {
    this.log.stop();
  }

  private async startWatch(): Promise<void> {
    const attempt = ++this.watching;
    this.watch?.dispose();
    this.watch = undefined;
    try {
      const access = await this.deps.access();
      if (attempt !== this.watching || this.isDisposed) return;
      this.watch = new PodWatch(access, this.ref, () => this.details.signal(), this.deps.logger);
      if (this.isListening) this.startLog();
    } catch (err) {
      if (attempt !== this.watching || this.isDisposed) return;
      this.viewValue = { ...(this.viewValue ?? goneView(undefined, this.ref, [], Date.now())), notice: err instanceof Error ? err.message : String(err) };
      this.sendDetails();
    }
  }

  private buildView(): PodDetailsView | undefined {
    const watch = this.watch;
    if (!watch) return this.viewValue;
    const now = Date.now();
    const pod = watch.pod;
    let view: PodDetailsView | undefined;
    if (pod) view = podDetailsView(this.ref, pod, watch.events, now);
    else if (watch.gone) view = goneView(this.viewValue, this.ref, watch.events, now);
    else return this.viewValue;
    const problems = watch.problems;
    if (problems.pod) view.notice = problems.pod;
    if (problems.events) view.eventsNote = problems.events;
    return view;
  }

  private sendDetails(): void {
    const view = this.buildView();
    if (!view) return;
    this.viewValue = view;
    this.post({ type: 'details', view });
    if (this.isListening && !this.log.selection) this.startLog();
    else {
      this.log.refreshWaiting();
      this.followNewRun(view);
    }
  }

  /**
   * The followed container started a run after its stream ended — its first (the stream was asked
   * for while it was still being created) or a new one (a crash loop): follow it.
   */
  private followNewRun(view: PodDetailsView): void {
    const selection = this.log.selection;
    const ended = this.lastLogStatus?.state === 'ended' || this.lastLogStatus?.state === 'failed';
    if (!selection || selection.previous || !ended || !this.isListening || !view.exists) return;
    const container = view.containers.find((c) => c.name === selection.container);
    const run = this.followedRun;
    if (!container || !run || !container.started) return;
    if (container.restarts <= run.restarts && run.started) return;
    this.followedRun = { restarts: container.restarts, started: true };
    void this.log.select(selection);
  }

  /** Streams the wanted log, or the default one once the pod's containers are known. */
  private startLog(): void {
    const selection = this.wanted ?? this.defaultSelection();
    if (!selection || !this.isListening) return;
    this.wanted = selection;
    void this.log.select(selection);
  }

  private defaultSelection(): LogSelection | undefined {
    const view = this.viewValue;
    const picked = view && defaultLogSelection(view);
    return picked && { ...picked, timestamps: false };
  }
}
