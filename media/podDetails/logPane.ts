/**
 * The log half of the pod details page: container picker, previous run, timestamps, follow, pause,
 * search and reconnect; the lines themselves, capped by LogBuffer with one DOM line per buffered
 * line (batches are appended as one fragment; dropped lines leave from the front).
 */
import { LogBuffer, droppedMarker, highlightPieces, matchesSearch } from '../../src/ui/webviews/logBuffer';
import type { ContainerView, LogSelection, LogState, WebviewMessage } from '../../src/ui/webviews/podDetailsProtocol';
import { el, replaceChildren } from './dom';

export interface LogPaneState {
  selection?: LogSelection;
  search: string;
  follow: boolean;
  paused: boolean;
}

export class LogPane {
  readonly element: HTMLElement;
  private readonly buffer: LogBuffer;
  private readonly output = el('div', { className: 'log-lines', attrs: { role: 'log', 'aria-live': 'off', tabindex: '0' } });
  private readonly marker = el('div', { className: 'log-marker', attrs: { hidden: '' } });
  private readonly status = el('div', { className: 'log-status', attrs: { role: 'status' } });
  private readonly container = el('select', { title: 'Container', attrs: { 'aria-label': 'Container' } });
  private readonly previous = el('input', { attrs: { type: 'checkbox', 'aria-label': 'Previous run' } });
  private readonly timestamps = el('input', { attrs: { type: 'checkbox', 'aria-label': 'Timestamps' } });
  private readonly follow = el('input', { attrs: { type: 'checkbox', 'aria-label': 'Follow' } });
  private readonly pause = el('button', { className: 'pause', attrs: { type: 'button' } });
  private readonly reconnect = el('button', { attrs: { type: 'button' } }, ['⟳ Reconnect']);
  private readonly search = el('input', { className: 'search', attrs: { type: 'search', placeholder: 'Search the log', 'aria-label': 'Search the log' } });
  private readonly matches = el('span', { className: 'matches muted' });
  private containers: ContainerView[] = [];
  private selection?: LogSelection;
  private paused: boolean;
  private state: LogState = 'connecting';

  constructor(
    cap: number,
    initial: LogPaneState,
    private readonly post: (message: WebviewMessage) => void,
    private readonly changed: () => void,
  ) {
    this.buffer = new LogBuffer(cap);
    this.selection = initial.selection;
    this.search.value = initial.search;
    this.follow.checked = initial.follow;
    this.paused = initial.paused;
    const label = (input: HTMLInputElement, text: string) => el('label', {}, [input, ` ${text}`]);
    this.element = el('section', { className: 'logs', attrs: { id: 'logs' } }, [
      el('h2', {}, ['Logs']),
      el('div', { className: 'toolbar' }, [
        this.container,
        label(this.previous, 'Previous run'),
        label(this.timestamps, 'Timestamps'),
        label(this.follow, 'Follow'),
        this.pause,
        this.reconnect,
        this.search,
        this.matches,
      ]),
      this.status,
      this.marker,
      this.output,
    ]);
    this.container.addEventListener('change', () => this.choose({ container: this.container.value, previous: false }));
    this.previous.addEventListener('change', () => this.choose({ previous: this.previous.checked }));
    this.timestamps.addEventListener('change', () => this.choose({ timestamps: this.timestamps.checked }));
    this.reconnect.addEventListener('click', () => this.selection && this.post({ type: 'selectLog', selection: this.selection }));
    this.pause.addEventListener('click', () => this.setPaused(!this.paused));
    this.follow.addEventListener('change', () => {
      if (this.follow.checked) this.scrollToEnd();
      this.changed();
    });
    this.search.addEventListener('input', () => {
      this.applySearch();
      this.changed();
    });
    this.output.addEventListener('scroll', () => {
      // Scrolling up to read stops following; scrolling back to the end follows again.
      const atEnd = this.output.scrollHeight - this.output.scrollTop - this.output.clientHeight < 4;
      if (atEnd !== this.follow.checked) {
        this.follow.checked = atEnd;
        this.changed();
      }
    });
    this.renderPause();
  }

  get savedState(): LogPaneState {
    return { selection: this.selection, search: this.search.value, follow: this.follow.checked, paused: this.paused };
  }

  /** The containers of the pod, for the picker. */
  setContainers(containers: ContainerView[]): void {
    this.containers = containers;
    const current = this.selection?.container ?? this.container.value;
    replaceChildren(
      this.container,
      containers.map((c) => el('option', { attrs: { value: c.name } }, [c.role === 'app' ? c.name : `${c.name} (${c.role})`])),
    );
    if (containers.some((c) => c.name === current)) this.container.value = current;
    this.syncControls();
  }

  /** A new log begins (another container, run, or a reconnect). */
  start(selection: LogSelection): void {
    this.selection = selection;
    this.buffer.clear();
    this.output.replaceChildren();
    this.renderMarker();
    this.syncControls();
    this.changed();
  }

  append(lines: string[], dropped: number): void {
    const { added, removed } = this.buffer.append(lines, dropped);
    for (let i = 0; i < removed && this.output.firstChild; i++) this.output.firstChild.remove();
    const query = this.search.value;
    const fragment = document.createDocumentFragment();
    for (const line of added) fragment.append(this.lineNode(line, query));
    this.output.append(fragment);
    this.renderMarker();
    if (query) this.renderMatchCount();
    if (this.follow.checked) this.scrollToEnd();
  }

  setStatus(state: LogState, text: string): void {
    this.state = state;
    this.status.textContent = text;
    this.status.className = `log-status state-${state}`;
    this.renderPause();
  }

  /** Sent after a reload when the log was paused before it. */
  restorePause(): void {
    if (this.paused) this.post({ type: 'setPaused', paused: true });
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    this.post({ type: 'setPaused', paused });
    this.renderPause();
    this.changed();
  }

  private choose(change: Partial<LogSelection>): void {
    const base = this.selection ?? { container: this.container.value, previous: false, timestamps: this.timestamps.checked };
    const selection = { ...base, ...change };
    this.selection = selection;
    this.syncControls();
    this.post({ type: 'selectLog', selection });
    this.changed();
  }

  private syncControls(): void {
    const s = this.selection;
    if (s && this.containers.some((c) => c.name === s.container)) this.container.value = s.container;
    const info = this.containers.find((c) => c.name === (s?.container ?? this.container.value));
    this.previous.checked = s?.previous ?? false;
    this.previous.disabled = !info?.hasPreviousRun && !s?.previous;
    this.previous.parentElement?.setAttribute('title', this.previous.disabled ? 'This container has not restarted: there is no previous run' : 'Show the log of the run before the last restart');
    this.timestamps.checked = s?.timestamps ?? false;
  }

  private renderPause(): void {
    this.pause.textContent = this.paused ? '▶ Resume' : '❚❚ Pause';
    this.pause.setAttribute('aria-pressed', String(this.paused));
    this.reconnect.hidden = this.state === 'streaming' || this.state === 'paused' || this.state === 'connecting';
  }

  private renderMarker(): void {
    const text = droppedMarker(this.buffer.dropped);
    this.marker.hidden = !text;
    this.marker.textContent = text ?? '';
  }

  private lineNode(line: string, query: string): HTMLElement {
    const node = el('div', { className: 'line' });
    this.paint(node, line, query);
    return node;
  }

  private paint(node: HTMLElement, line: string, query: string): void {
    const hit = matchesSearch(line, query);
    node.hidden = !hit;
    if (!query || !hit) {
      node.textContent = line;
      return;
    }
    node.replaceChildren(...highlightPieces(line, query).map((p) => (p.hit ? el('mark', {}, [p.text]) : document.createTextNode(p.text))));
  }

  private applySearch(): void {
    const query = this.search.value;
    const lines = this.buffer.all();
    const nodes = this.output.children;
    for (let i = 0; i < nodes.length && i < lines.length; i++) this.paint(nodes[i] as HTMLElement, lines[i], query);
    this.renderMatchCount();
    if (this.follow.checked) this.scrollToEnd();
  }

  private renderMatchCount(): void {
    const query = this.search.value;
    if (!query) {
      this.matches.textContent = '';
      return;
    }
    let n = 0;
    for (const line of this.buffer.all()) if (matchesSearch(line, query)) n++;
    this.matches.textContent = `${n} matching line${n === 1 ? '' : 's'}`;
  }

  private scrollToEnd(): void {
    this.output.scrollTop = this.output.scrollHeight;
  }
}
