/**
 * The pod details webview. Knows its pod from the page's data- attributes, builds the page,
 * restores what the user had (log selection, search, follow, pause) from vscode.getState, says
 * ready, then renders what the extension sends. Every incoming message is checked first.
 */
import {
  isHostMessage,
  isPodDetailsState,
  maxLogLines,
  type HostMessage,
  type PodDetailsState,
  type PodRef,
  type WebviewMessage,
} from '../src/ui/webviews/podDetailsProtocol';
import { renderDetails, type DetailsParts } from './podDetails/detailsView';
import { el } from './podDetails/dom';
import { LogPane } from './podDetails/logPane';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PodDetailsState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

function podFromPage(): PodRef {
  const { context, namespace, name } = document.body.dataset;
  if (!context || !namespace || !name) throw new Error('the page does not name its pod');
  return { context, namespace, name };
}

function main(): void {
  const vscode = acquireVsCodeApi();
  const ref = podFromPage();
  const saved = vscode.getState();
  const restored = isPodDetailsState(saved) && saved.ref.context === ref.context && saved.ref.namespace === ref.namespace && saved.ref.name === ref.name ? saved : undefined;

  const parts: DetailsParts = {
    header: el('header', { className: 'header' }, [el('h1', {}, [`Pod ${ref.name}`]), el('p', { className: 'muted' }, [`Loading pod ${ref.namespace}/${ref.name} from ${ref.context}…`])]),
    status: el('section', { className: 'status' }),
    containers: el('section', { className: 'containers' }),
    events: el('section', { className: 'events' }),
  };
  const save = () => vscode.setState({ ref, ...logs.savedState });
  const logs: LogPane = new LogPane(maxLogLines, restored ?? { search: '', follow: true, paused: false }, (m) => vscode.postMessage(m), save);
  document.body.append(el('main', {}, [parts.header, parts.status, parts.containers, parts.events, logs.element]));

  const handle = (message: HostMessage) => {
    switch (message.type) {
      case 'details':
        renderDetails(parts, message.view);
        logs.setContainers(message.view.containers);
        document.body.dataset.phase = message.view.phase;
        break;
      case 'logStart':
        logs.start(message.selection);
        break;
      case 'logLines':
        logs.append(message.lines, message.dropped);
        break;
      case 'logStatus':
        logs.setStatus(message.state, message.text);
        break;
    }
  };
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isHostMessage(event.data)) handle(event.data);
  });
  save();
  vscode.postMessage({ type: 'ready', ...(restored?.selection ? { selection: restored.selection } : {}) });
  logs.restorePause();
}

main();
