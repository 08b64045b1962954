/**
 * What the pod details panel shows, built from the pod (as the watch cache holds it) and its
 * events: status and conditions, containers with their state, restarts and last termination,
 * requests and limits with GPUs marked, and events newest first. Pure and deterministic for a
 * given pod, events and clock.
 */
import type { KubeObject } from '../../kube/types';
import { isGpuResource } from '../../gpu/podGpus';
import { formatAge } from '../views/age';
import { podStatusOf, summarizeContainer, summarizePod, type ContainerStatus } from '../views/podSummary';
import type { ConditionView, ContainerView, EventView, PodDetailsView, PodRef, ResourceRow } from './podDetailsProtocol';

interface ContainerSpec {
  name: string;
  image?: string;
  restartPolicy?: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

interface PodSpecView {
  nodeName?: string;
  containers?: ContainerSpec[];
  initContainers?: ContainerSpec[];
}

interface PodStatusView {
  podIP?: string;
  qosClass?: string;
  conditions?: Array<{ type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }>;
}

interface Terminated {
  reason?: string;
  exitCode?: number;
  signal?: number;
  finishedAt?: string;
}

/** The fields of a core/v1 Event the panel reads. */
export interface EventObject extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string };
  reportingComponent?: string;
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
}

/** The field selector that asks the API server for one pod's events. */
export function podEventsFieldSelector(ref: Pick<PodRef, 'namespace' | 'name'>): string {
  return `involvedObject.kind=Pod,involvedObject.name=${ref.name},involvedObject.namespace=${ref.namespace}`;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Requests and limits of one container; GPU resources first, then the rest by name. */
export function resourceRows(container: ContainerSpec): ResourceRow[] {
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  const names = [...new Set([...Object.keys(requests), ...Object.keys(limits)])];
  const rows = names.map((resource) => {
    const row: ResourceRow = { resource, gpu: isGpuResource(resource) };
    const request = text(requests[resource]) ?? (row.gpu ? text(limits[resource]) : undefined);
    const limit = text(limits[resource]);
    if (request !== undefined) row.request = request;
    if (limit !== undefined) row.limit = limit;
    return row;
  });
  return rows.sort((a, b) => Number(b.gpu) - Number(a.gpu) || a.resource.localeCompare(b.resource));
}

function terminationText(t: Terminated, now: number): string {
  const code = t.exitCode !== undefined ? `exit code ${t.exitCode}` : t.signal !== undefined ? `signal ${t.signal}` : undefined;
  const ago = formatAge(t.finishedAt, now);
  return [[t.reason, code].filter(Boolean).join(', ') || 'terminated', ago ? `${ago} ago` : undefined].filter(Boolean).join(' · ');
}

function containerView(spec: ContainerSpec, role: ContainerView['role'], status: ContainerStatus | undefined, now: number): ContainerView {
  const summary = summarizeContainer(status);
  const last = status?.lastState?.terminated as Terminated | undefined;
  const view: ContainerView = {
    name: spec.name,
    role,
    image: spec.image ?? '',
    state: summary.text,
    health: summary.health,
    ready: status?.ready === true,
    started: Boolean(status?.state?.running || status?.state?.terminated),
    restarts: status?.restartCount ?? 0,
    hasPreviousRun: (status?.restartCount ?? 0) > 0,
    resources: resourceRows(spec),
  };
  if (summary.message) view.message = summary.message;
  if (last) view.lastTermination = terminationText(last, now);
  return view;
}

function conditionViews(status: PodStatusView, now: number): ConditionView[] {
  return (status.conditions ?? []).map((c) => {
    const view: ConditionView = { type: c.type, status: c.status };
    if (c.reason) view.reason = c.reason;
    if (c.message) view.message = c.message;
    const age = formatAge(c.lastTransitionTime, now);
    if (age) view.age = age;
    return view;
  });
}

/** When an event last happened: lastTimestamp, the series' last observation, eventTime, or creation. */
export function eventTime(e: EventObject): string | undefined {
  return e.lastTimestamp ?? e.series?.lastObservedTime ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? undefined;
}

/** Events newest first; events of another object (or another run of the same name) are left out. */
export function eventViews(events: Iterable<EventObject>, pod: KubeObject | undefined, ref: PodRef, now: number): EventView[] {
  const uid = pod?.metadata.uid;
  const mine = [...events].filter((e) => {
    const o = e.involvedObject;
    if (!o || o.kind !== 'Pod' || o.name !== ref.name || (o.namespace ?? e.metadata.namespace) !== ref.namespace) return false;
    return !uid || !o.uid || o.uid === uid;
  });
  const at = (e: EventObject) => Date.parse(eventTime(e) ?? '') || 0;
  // Timestamps are often whole seconds: among equals, the one that arrived last comes first.
  mine.reverse().sort((a, b) => at(b) - at(a));
  return mine.map((e) => {
    const view: EventView = {
      type: e.type ?? 'Normal',
      reason: e.reason ?? '',
      message: (e.message ?? '').trim(),
      count: e.series?.count ?? e.count ?? 1,
    };
    const age = formatAge(eventTime(e), now);
    if (age) view.age = age;
    const source = e.reportingComponent || e.source?.component;
    if (source) view.source = source;
    return view;
  });
}

/** The panel's view of a pod that exists. */
export function podDetailsView(ref: PodRef, pod: KubeObject, events: Iterable<EventObject>, now: number): PodDetailsView {
  const spec = (pod.spec ?? {}) as PodSpecView;
  const status = podStatusOf(pod);
  const extra = (pod.status ?? {}) as PodStatusView;
  const summary = summarizePod(pod);
  const statusOf = (list: ContainerStatus[] | undefined, name: string) => list?.find((s) => s.name === name);
  const containers = [
    ...(spec.initContainers ?? []).map((c) =>
      containerView(c, c.restartPolicy === 'Always' ? 'sidecar' : 'init', statusOf(status.initContainerStatuses, c.name), now),
    ),
    ...(spec.containers ?? []).map((c) => containerView(c, 'app', statusOf(status.containerStatuses, c.name), now)),
  ];
  const view: PodDetailsView = {
    ref,
    exists: true,
    phase: summary.phase,
    health: summary.health,
    ready: summary.ready,
    total: summary.total,
    restarts: summary.restarts,
    gpus: Object.entries(summary.gpus.byResource)
      .map(([resource, n]) => `${n} ${resource}`)
      .join(', '),
    conditions: conditionViews(extra, now),
    containers,
    events: eventViews(events, pod, ref, now),
  };
  if (summary.reason) view.reason = summary.reason;
  if (summary.message) view.message = summary.message;
  const age = formatAge(pod.metadata.creationTimestamp, now);
  if (age) view.age = age;
  if (spec.nodeName) view.node = spec.nodeName;
  if (extra.podIP) view.podIP = extra.podIP;
  if (extra.qosClass) view.qosClass = extra.qosClass;
  return view;
}

/** The view once the pod is deleted: what was last known, marked gone, with the latest events. */
export function goneView(last: PodDetailsView | undefined, ref: PodRef, events: Iterable<EventObject>, now: number): PodDetailsView {
  const base: PodDetailsView = last ?? {
    ref,
    exists: false,
    phase: 'Unknown',
    health: 'warning',
    ready: 0,
    total: 0,
    restarts: 0,
    gpus: '',
    conditions: [],
    containers: [],
    events: [],
  };
  return { ...base, exists: false, reason: 'Deleted', message: `Pod ${ref.namespace}/${ref.name} no longer exists.`, health: 'terminating', events: eventViews(events, undefined, ref, now) };
}

/**
 * The log to show first: the first regular container, and its previous run when it is down after
 * a restart (crash-looping: the current run's log is empty or just starting).
 */
export function defaultLogSelection(view: PodDetailsView): { container: string; previous: boolean } | undefined {
  const first = view.containers.find((c) => c.role === 'app') ?? view.containers[0];
  if (!first) return undefined;
  return { container: first.name, previous: first.hasPreviousRun && !first.ready && first.health === 'error' };
}
