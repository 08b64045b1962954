/**
 * The dashboard's checks: one collapsible row per check (state, name, image, duration, failure
 * reason) with its log below, capped by LogBuffer per check. Logs belong to one run: a view
 * with another run id starts them over. Which rows are open survives a reload.
 */
import { droppedMarker, LogBuffer } from '../src/ui/webviews/logBuffer';
import { maxCheckLogLines, type CheckView } from '../src/ui/webviews/sandboxDashboardProtocol';
import { el, replaceChildren } from './podDetails/dom';

interface CheckRow {
  details: HTMLDetailsElement;
  head: HTMLElement;
  log: HTMLPreElement;
  marker: HTMLElement;
  buffer: LogBuffer;
}

const stateText: Record<CheckView['state'], string> = { pending: 'pending', running: 'running…', passed: 'passed', failed: 'failed', cancelled: 'cancelled' };

export class ChecksPane {
  readonly element = el('section', { className: 'checks' });
  private readonly rows = new Map<string, CheckRow>();
  private readonly list = el('div', { className: 'check-list' });
  private runId?: string;

  constructor(
    private readonly open: Set<string>,
    private readonly onToggle: () => void,
  ) {
    this.element.append(el('h2', {}, ['Checks']), this.list);
  }

  render(checks: readonly CheckView[], runId: string | undefined): void {
    this.startRun(runId);
    if (checks.length === 0) {
      replaceChildren(this.list, [el('p', { className: 'muted' }, ['No checks in tether.yaml.'])]);
      return;
    }
    replaceChildren(this.list, checks.map((check) => this.row(check).details));
  }

  appendLog(runId: string, check: string, lines: readonly string[], dropped: number): void {
    this.startRun(runId);
    const row = this.rows.get(check);
    if (!row) return;
    row.buffer.append(lines, dropped);
    // At most maxCheckLogLines lines: one text node is cheaper than a node per line.
    row.log.textContent = row.buffer.all().join('\n');
    this.showMarker(row);
  }

  /** Logs of an earlier run are not mixed with this one's. */
  private startRun(runId: string | undefined): void {
    if (runId === this.runId) return;
    this.runId = runId;
    for (const row of this.rows.values()) this.clearLog(row);
  }

  private row(check: CheckView): CheckRow {
    let row = this.rows.get(check.name);
    if (!row) {
      const details = el('details', { className: 'check' });
      const head = el('summary', { className: 'check-head' });
      const marker = el('div', { className: 'log-marker muted', attrs: { hidden: '' } });
      const log = el('pre', { className: 'log-lines', attrs: { role: 'log', tabindex: '0' } });
      details.append(head, marker, log);
      details.open = this.open.has(check.name);
      details.addEventListener('toggle', () => {
        if (details.open) this.open.add(check.name);
        else this.open.delete(check.name);
        this.onToggle();
      });
      row = { details, head, log, marker, buffer: new LogBuffer(maxCheckLogLines) };
      this.rows.set(check.name, row);
    }
    replaceChildren(row.head, [
      el('span', { className: `state state-${check.state}` }, [stateText[check.state]]),
      el('span', { className: 'check-name' }, [check.name]),
      el('span', { className: 'muted mono' }, [check.image]),
      check.duration && el('span', { className: 'muted' }, [check.duration]),
      check.reason && el('span', { className: 'reason' }, [check.reason]),
    ]);
    row.head.title = check.job ? `Job ${check.job}` : '';
    if (row.buffer.size === 0) row.log.textContent = check.state === 'running' || check.state === 'pending' ? 'The log shows here when the check has finished.' : '';
    return row;
  }

  private clearLog(row: CheckRow): void {
    row.buffer.clear();
    row.log.textContent = '';
    this.showMarker(row);
  }

  private showMarker(row: CheckRow): void {
    const text = droppedMarker(row.buffer.dropped);
    row.marker.textContent = text ?? '';
    row.marker.toggleAttribute('hidden', !text);
  }
}
