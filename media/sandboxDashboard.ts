/**
 * The sandbox dashboard webview. Knows its sandbox from the page's data- attributes, builds the
 * page, restores which check logs were open from vscode.getState, says ready, then renders what
 * the extension sends. Every incoming message is checked first.
 */
import {
  isHostMessage,
  isSandboxDashboardState,
  type DashboardView,
  type HostMessage,
  type SandboxDashboardState,
  type SandboxRef,
  type WebviewMessage,
} from '../src/ui/webviews/sandboxDashboardProtocol';
import { el, replaceChildren } from './podDetails/dom';
import { ChecksPane } from './sandboxDashboardChecks';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: SandboxDashboardState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

function sandboxFromPage(): SandboxRef {
  const { context, namespace, sandbox } = document.body.dataset;
  if (!context || !namespace || !sandbox) throw new Error('the page does not name its sandbox');
  return { context, namespace, sandbox };
}

interface Parts {
  meta: HTMLElement;
  facts: HTMLElement;
  notice: HTMLElement;
  summary: HTMLElement;
  run: HTMLButtonElement;
  cancel: HTMLButtonElement;
}

function fact(label: string, value: Node | string): HTMLElement {
  return el('div', { className: 'fact' }, [el('span', { className: 'muted' }, [label]), el('span', {}, [value])]);
}

function renderView(parts: Parts, view: DashboardView): void {
  const { ref } = view;
  replaceChildren(parts.meta, [`namespace ${ref.namespace} · context ${ref.context}`, view.owner ? ` · owner ${view.owner}` : '']);
  replaceChildren(parts.facts, [
    fact('State', view.exists ? (view.state ?? 'unknown') : 'not found (deleted, or not created yet)'),
    view.ttl !== undefined && fact('TTL left', view.ttl),
    fact('Forks', view.forks.join(', ') || 'none'),
    fact('Preview', view.previewUrl ? el('a', { attrs: { href: view.previewUrl } }, [view.previewUrl]) : 'not running in this window (Preview Changes starts it)'),
  ]);
  parts.notice.textContent = view.notice ?? '';
  parts.notice.toggleAttribute('hidden', !view.notice);
  parts.summary.textContent = view.summary ?? 'The checks have not run yet.';
  parts.summary.className = `run-summary${view.running ? '' : view.checks.some((c) => c.state === 'failed') ? ' bad' : view.checks.some((c) => c.state === 'passed') ? ' good' : ''}`;
  parts.run.disabled = view.running || view.checks.length === 0;
  parts.cancel.toggleAttribute('hidden', !view.running);
  document.body.dataset.running = String(view.running);
}

function main(): void {
  const vscode = acquireVsCodeApi();
  const ref = sandboxFromPage();
  const saved = vscode.getState();
  const restored = isSandboxDashboardState(saved) && saved.ref.context === ref.context && saved.ref.namespace === ref.namespace && saved.ref.sandbox === ref.sandbox ? saved : undefined;
  const open = new Set(restored?.open ?? []);
  const save = () => vscode.setState({ ref, open: [...open] });

  const parts: Parts = {
    meta: el('p', { className: 'muted' }, [`Loading sandbox ${ref.namespace}/${ref.sandbox} from ${ref.context}…`]),
    facts: el('div', { className: 'facts' }),
    notice: el('div', { className: 'notice', attrs: { role: 'status', hidden: '' } }),
    summary: el('span', { className: 'run-summary', attrs: { role: 'status' } }),
    run: el('button', { attrs: { type: 'button' } }, ['Run checks']),
    cancel: el('button', { className: 'secondary', attrs: { type: 'button', hidden: '' } }, ['Cancel']),
  };
  parts.run.addEventListener('click', () => vscode.postMessage({ type: 'runChecks' }));
  parts.cancel.addEventListener('click', () => vscode.postMessage({ type: 'cancelChecks' }));
  const checks = new ChecksPane(open, save);
  const header = el('header', { className: 'header' }, [el('h1', {}, [`Sandbox ${ref.sandbox}`]), parts.meta]);
  const actions = el('div', { className: 'actions' }, [parts.run, parts.cancel, parts.summary]);
  document.body.append(el('main', {}, [header, parts.facts, parts.notice, actions, checks.element]));

  const handle = (message: HostMessage) => {
    switch (message.type) {
      case 'view':
        renderView(parts, message.view);
        checks.render(message.view.checks, message.view.runId);
        break;
      case 'checkLog':
        checks.appendLog(message.runId, message.check, message.lines, message.dropped);
        break;
    }
  };
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isHostMessage(event.data)) handle(event.data);
  });
  save();
  vscode.postMessage({ type: 'ready' });
}

main();
