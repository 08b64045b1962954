/**
 * The upper half of the pod details page: header, status and conditions, containers with their
 * requests and limits (GPU rows marked), and events. Re-rendered from each view model the
 * extension sends.
 */
import type { ContainerView, EventView, PodDetailsView, ResourceRow } from '../../src/ui/webviews/podDetailsProtocol';
import { el, replaceChildren } from './dom';

const healthGlyph: Record<string, string> = {
  ok: '●',
  progressing: '◐',
  pending: '◷',
  warning: '▲',
  error: '✖',
  succeeded: '✔',
  terminating: '⌫',
};

function badge(health: string, text: string): HTMLElement {
  return el('span', { className: `badge health-${health}` }, [`${healthGlyph[health] ?? '●'} ${text}`]);
}

function table(headers: string[], rows: HTMLTableRowElement[], className: string): HTMLTableElement {
  return el('table', { className }, [el('thead', {}, [el('tr', {}, headers.map((h) => el('th', {}, [h])))]), el('tbody', {}, rows)]);
}

function cell(text: string | undefined, className?: string): HTMLTableCellElement {
  return el('td', className ? { className } : {}, [text ?? '']);
}

function resourcesTable(rows: ResourceRow[]): HTMLElement {
  if (rows.length === 0) return el('p', { className: 'muted' }, ['No requests or limits (BestEffort for this container).']);
  return table(
    ['Resource', 'Request', 'Limit'],
    rows.map((r) =>
      el('tr', { className: r.gpu ? 'gpu' : '' }, [
        el('td', {}, [r.resource, r.gpu ? el('span', { className: 'tag gpu-tag' }, ['GPU']) : undefined]),
        cell(r.request ?? '—'),
        cell(r.limit ?? '—'),
      ]),
    ),
    'resources',
  );
}

function containerCard(c: ContainerView): HTMLElement {
  const role = c.role === 'app' ? undefined : el('span', { className: 'tag' }, [c.role]);
  const facts = el('dl', { className: 'facts' }, [
    el('dt', {}, ['Image']),
    el('dd', { className: 'mono' }, [c.image || '—']),
    el('dt', {}, ['State']),
    el('dd', {}, [badge(c.health, c.state)]),
    el('dt', {}, ['Restarts']),
    el('dd', {}, [String(c.restarts)]),
    c.lastTermination ? el('dt', {}, ['Last termination']) : undefined,
    c.lastTermination ? el('dd', { className: c.lastTermination.startsWith('OOMKilled') ? 'bad' : '' }, [c.lastTermination]) : undefined,
  ]);
  return el('div', { className: 'card container', attrs: { 'data-container': c.name } }, [
    el('h3', {}, [c.name, role]),
    facts,
    c.message ? el('p', { className: 'message' }, [c.message]) : undefined,
    resourcesTable(c.resources),
  ]);
}

function eventRow(e: EventView): HTMLTableRowElement {
  return el('tr', { className: e.type === 'Warning' ? 'warning-row' : '' }, [
    cell(e.type === 'Warning' ? '▲ Warning' : e.type, e.type === 'Warning' ? 'warn' : ''),
    cell(e.reason),
    cell(e.age ? `${e.age} ago` : ''),
    cell(e.count > 1 ? `×${e.count}` : ''),
    cell(e.source),
    cell(e.message, 'message'),
  ]);
}

export interface DetailsParts {
  header: HTMLElement;
  status: HTMLElement;
  containers: HTMLElement;
  events: HTMLElement;
}

export function renderDetails(parts: DetailsParts, view: PodDetailsView): void {
  const meta = [
    `namespace ${view.ref.namespace}`,
    `context ${view.ref.context}`,
    view.node ? `node ${view.node}` : undefined,
    view.podIP ? `IP ${view.podIP}` : undefined,
    view.qosClass ? `QoS ${view.qosClass}` : undefined,
    view.age ? `age ${view.age}` : undefined,
  ].filter((x): x is string => Boolean(x));
  replaceChildren(parts.header, [
    el('h1', {}, [`Pod ${view.ref.name}`]),
    el('div', { className: 'summary' }, [
      badge(view.health, view.reason ? `${view.phase} · ${view.reason}` : view.phase),
      el('span', {}, [`Ready ${view.ready}/${view.total}`]),
      el('span', {}, [`${view.restarts} restart${view.restarts === 1 ? '' : 's'}`]),
      view.gpus ? el('span', { className: 'tag gpu-tag' }, [`GPU ${view.gpus}`]) : undefined,
    ]),
    el('div', { className: 'meta' }, [meta.join(' · ')]),
    view.notice ? el('p', { className: 'notice' }, [view.notice]) : undefined,
  ]);

  replaceChildren(parts.status, [
    el('h2', {}, ['Status']),
    view.message ? el('p', { className: `message ${view.health === 'error' ? 'bad' : ''}` }, [view.message]) : undefined,
    view.conditions.length
      ? table(
          ['Condition', 'Status', 'Reason', 'Since', 'Message'],
          view.conditions.map((c) =>
            el('tr', {}, [cell(c.type), cell(c.status, c.status === 'True' ? 'good' : c.status === 'False' ? 'bad' : ''), cell(c.reason), cell(c.age), cell(c.message, 'message')]),
          ),
          'conditions',
        )
      : el('p', { className: 'muted' }, ['No conditions reported yet.']),
  ]);

  replaceChildren(parts.containers, [
    el('h2', {}, [`Containers (${view.containers.length})`]),
    el('div', { className: 'cards' }, view.containers.map(containerCard)),
  ]);

  replaceChildren(parts.events, [
    el('h2', {}, [`Events (${view.events.length})`]),
    view.eventsNote ? el('p', { className: 'notice' }, [view.eventsNote]) : undefined,
    view.events.length
      ? table(['Type', 'Reason', 'When', 'Count', 'From', 'Message'], view.events.map(eventRow), 'events')
      : el('p', { className: 'muted' }, ['No events for this pod (the API server keeps them for about an hour).']),
  ]);
}
