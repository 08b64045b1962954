/**
 * Live pod logs in a read-only document on scheme `tether-logs`: `pods/log?follow=true` streamed
 * into the document, refreshed at most 4 times a second, capped to the last 2 MB. A container
 * that has not started yet has no log: the document says why (from the pod, through the shared
 * watch of its namespace) and starts following once it runs. Editors keep its end in view while
 * following (logFollow.ts). The stream stops when the last tab showing it closes (or the document
 * is disposed).
 */
import * as vscode from 'vscode';
import type { IncomingMessage } from 'node:http';
import { DisposableStore } from '../../lifecycle';
import { podLogRequest } from '../../workloads/podLogStream';
import { objectKey, type KubeObject } from '../../kube/types';
import type { ClusterExplorer } from '../session/explorer';
import type { WatchSource } from '../session/watchedKind';
import { containerNotStarted } from '../views/containerStart';
import { LogFollower } from './logFollow';
import type { ErrorReporter } from '../errorReporter';
import { needsFor, refFromUriParts, refLabel, refToUriParts, type ResourceRef } from './resourceRef';
import type { NextStep } from '../../kube/nextStep';
import { editorRemedy } from '../stepWords';

export const logsScheme = 'tether-logs';
const maxChars = 2 * 1024 * 1024;
const tailLines = 1000;

/** `previousFirst`: show the previous run's log (a crash's last words) before following the current one. */
export function logsUri(ref: ResourceRef, previousFirst = false): vscode.Uri {
  const { path, query } = refToUriParts(ref, 'log');
  return vscode.Uri.from({ scheme: logsScheme, path, query: previousFirst ? `${query}&previous=1` : query });
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    res.on('end', () => resolve(text));
    res.on('error', reject);
  });
}

class LogStream {
  text = '';
  private readonly abort = new AbortController();
  private response?: IncomingMessage;
  private timer?: NodeJS.Timeout;

  constructor(
    readonly ref: ResourceRef,
    private readonly previousFirst: boolean,
    private readonly changed: () => void,
  ) {}

  async start(explorer: ClusterExplorer, reporter: ErrorReporter): Promise<void> {
    const ref = this.ref;
    try {
      const access = await explorer.kube();
      const client = access.client(ref.context);
      // A previous run means the container has run; otherwise wait until it has.
      if (!this.previousFirst && !(await this.untilStarted(access.hub))) return;
      const target = { namespace: ref.namespace, pod: ref.name, container: ref.container };
      if (this.previousFirst) {
        try {
          const previous = await client.stream(podLogRequest(target, { follow: false, previous: true, tailLines }, this.abort.signal));
          this.append(`--- previous run ---\n${await readAll(previous)}\n`);
        } catch (err) {
          if (this.abort.signal.aborted) return;
          this.append(`--- the previous run's log is not available: ${(err as { why?: string }).why ?? String(err)} ---\n`);
        }
        this.append('--- current run (following) ---\n');
      }
      const res = await client.stream(podLogRequest(target, { follow: true, tailLines }, this.abort.signal));
      if (this.abort.signal.aborted) return void res.destroy();
      this.response = res;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => this.append(chunk));
      res.on('end', () => this.append(`\n--- log stream ended (the container stopped or the API server closed it; reopen to follow again) ---\n`));
      res.on('error', (err) => !this.abort.signal.aborted && this.append(`\n--- log stream failed: ${err.message} ---\n`));
    } catch (err) {
      if (this.abort.signal.aborted) return;
      reporter.report(err, { needs: needsFor(ref, ['get'], 'log') });
      const e = err as { why?: string; remedy?: string; step?: NextStep };
      const next = editorRemedy({ ...e, remedy: e.remedy ?? '' });
      this.append(`--- ${refLabel(ref)}: logs unavailable: ${e.why ?? String(err)}${next ? `. ${next}` : ''} ---\n`);
    }
  }

  /**
   * Resolves true once the container has run (at once when it has), saying meanwhile why it has
   * not; false when the document went away first. Reads the pod from the shared watch of its
   * namespace; when that watch fails, or the pod is not there, the log request says what is wrong.
   */
  private untilStarted(hub: WatchSource): Promise<boolean> {
    const { ref } = this;
    const key = objectKey({ namespace: ref.namespace, name: ref.name });
    return new Promise((resolve) => {
      if (this.abort.signal.aborted) return resolve(false);
      let finished = false;
      let said: string | undefined;
      // Called only from events and the abort, which come after the observation exists.
      const finish = (started: boolean) => {
        if (finished) return;
        finished = true;
        this.abort.signal.removeEventListener('abort', onAbort);
        observation.dispose();
        resolve(started);
      };
      const onAbort = () => finish(false);
      this.abort.signal.addEventListener('abort', onAbort, { once: true });
      const seen = (pod: KubeObject | undefined) => {
        const why = pod && containerNotStarted(pod, ref.container);
        if (!why) return finish(true);
        if (why !== said) this.append(`--- ${why}. Its log follows once it runs. ---\n`);
        said = why;
      };
      const observation = hub.observe<KubeObject>({ context: ref.context, kind: 'Pod', namespace: ref.namespace }, (e) => {
        if (finished) return;
        if (e.type === 'synced') seen(e.objects.get(key));
        else if ((e.type === 'added' || e.type === 'modified') && objectKey(e.object.metadata) === key) seen(e.object);
        else if (e.type === 'deleted' && objectKey(e.object.metadata) === key) finish(true);
        else if (e.type === 'state' && e.state.phase === 'backoff') finish(true);
      });
    });
  }

  private append(chunk: string): void {
    this.text += chunk;
    if (this.text.length > maxChars) this.text = this.text.slice(this.text.length - maxChars);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.changed();
    }, 250);
  }

  dispose(): void {
    this.abort.abort();
    this.response?.destroy();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

export class PodLogDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changes = this.store.add(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changes.event;
  private readonly streams = new Map<string, LogStream>();

  constructor(
    private readonly explorer: ClusterExplorer,
    private readonly reporter: ErrorReporter,
  ) {
    this.store.add(new LogFollower(logsScheme));
    this.store.add(vscode.workspace.onDidCloseTextDocument((doc) => this.stop(doc.uri)));
    this.store.add(
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
          if (uri?.scheme === logsScheme && !this.isOpenInTab(uri)) this.stop(uri);
        }
      }),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const key = uri.toString();
    let stream = this.streams.get(key);
    if (!stream) {
      const ref = refFromUriParts(uri.path, uri.query);
      if (!ref) return `${key} does not name a pod.\n`;
      const previousFirst = new URLSearchParams(uri.query).get('previous') === '1';
      stream = new LogStream(ref, previousFirst, () => this.changes.fire(uri));
      this.streams.set(key, stream);
      void stream.start(this.explorer, this.reporter);
    }
    return stream.text;
  }

  /** Open streams, for tests and the log. */
  get activeStreams(): number {
    return this.streams.size;
  }

  private isOpenInTab(uri: vscode.Uri): boolean {
    return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString()));
  }

  private stop(uri: vscode.Uri): void {
    const key = uri.toString();
    this.streams.get(key)?.dispose();
    this.streams.delete(key);
  }

  dispose(): void {
    for (const s of this.streams.values()) s.dispose();
    this.streams.clear();
    this.store.dispose();
  }
}
