/**
 * The pod details webview's protocol: every message in both directions, the state the webview
 * persists across reloads, and the guards that check them at each boundary. Imported by the
 * extension (src/ui/webviews) and by the webview script (media/podDetails.ts). Pure: no vscode,
 * no DOM, no Node.
 */

export const podDetailsViewType = 'tether.podDetails';

/** Largest number of log lines the webview keeps; older ones are dropped with a marker. */
export const maxLogLines = 5000;

export interface PodRef {
  context: string;
  namespace: string;
  name: string;
}

/** Which log the panel streams. */
export interface LogSelection {
  container: string;
  /** The previous (terminated) run of the container instead of the current one. */
  previous: boolean;
  timestamps: boolean;
}

export type HealthTag = 'ok' | 'progressing' | 'pending' | 'warning' | 'error' | 'succeeded' | 'terminating';

export interface ResourceRow {
  resource: string;
  request?: string;
  limit?: string;
  gpu: boolean;
}

export interface ContainerView {
  name: string;
  role: 'init' | 'sidecar' | 'app';
  image: string;
  /** "ready", "CrashLoopBackOff · 3 restarts", "not started"… */
  state: string;
  health: HealthTag;
  ready: boolean;
  /** The current run has started (running or finished): it has a log to stream. */
  started: boolean;
  restarts: number;
  message?: string;
  /** How the last run ended, e.g. "OOMKilled, exit code 137 · 2m ago". */
  lastTermination?: string;
  /** A previous run's log exists (the container restarted). */
  hasPreviousRun: boolean;
  resources: ResourceRow[];
}

export interface ConditionView {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  age?: string;
}

export interface EventView {
  type: string;
  reason: string;
  message: string;
  count: number;
  age?: string;
  source?: string;
}

export interface PodDetailsView {
  ref: PodRef;
  /** False once the pod is deleted (the last known state stays on screen). */
  exists: boolean;
  phase: string;
  reason?: string;
  message?: string;
  health: HealthTag;
  ready: number;
  total: number;
  restarts: number;
  age?: string;
  node?: string;
  podIP?: string;
  qosClass?: string;
  /** "8 nvidia.com/gpu", empty when the pod asks for none. */
  gpus: string;
  conditions: ConditionView[];
  containers: ContainerView[];
  events: EventView[];
  /** Why events are missing or partial (e.g. not allowed to list them). */
  eventsNote?: string;
  /** Why what is shown may be out of date (the pod's watch is retrying). */
  notice?: string;
}

export type LogState = 'connecting' | 'streaming' | 'paused' | 'ended' | 'failed';

/** Messages from the extension to the webview. */
export type HostMessage =
  | { type: 'details'; view: PodDetailsView }
  | { type: 'logStart'; selection: LogSelection }
  | { type: 'logLines'; lines: string[]; dropped: number }
  | { type: 'logStatus'; state: LogState; text: string };

/** Messages from the webview to the extension. */
export type WebviewMessage =
  | { type: 'ready'; selection?: LogSelection }
  | { type: 'selectLog'; selection: LogSelection }
  | { type: 'setPaused'; paused: boolean };

/** What the webview keeps with vscode.setState, and the serializer reads after a window reload. */
export interface PodDetailsState {
  ref: PodRef;
  selection?: LogSelection;
  search: string;
  follow: boolean;
  paused: boolean;
}

type Guarded = Record<string, unknown>;

function isRecord(value: unknown): value is Guarded {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isName(value: unknown, max = 253): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

export function isPodRef(value: unknown): value is PodRef {
  return isRecord(value) && isName(value.context, 1024) && isName(value.namespace, 63) && isName(value.name);
}

export function isLogSelection(value: unknown): value is LogSelection {
  return isRecord(value) && isName(value.container, 63) && typeof value.previous === 'boolean' && typeof value.timestamps === 'boolean';
}

/** Checks a message the webview sent; anything else is dropped by the panel. */
export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
      return value.selection === undefined || isLogSelection(value.selection);
    case 'selectLog':
      return isLogSelection(value.selection);
    case 'setPaused':
      return typeof value.paused === 'boolean';
    default:
      return false;
  }
}

const logStates: ReadonlySet<string> = new Set<LogState>(['connecting', 'streaming', 'paused', 'ended', 'failed']);

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isDetailsView(value: unknown): value is PodDetailsView {
  return (
    isRecord(value) &&
    isPodRef(value.ref) &&
    typeof value.exists === 'boolean' &&
    typeof value.phase === 'string' &&
    typeof value.health === 'string' &&
    Array.isArray(value.conditions) &&
    Array.isArray(value.containers) &&
    Array.isArray(value.events)
  );
}

/** Checks a message the extension sent (the webview's side of the boundary). */
export function isHostMessage(value: unknown): value is HostMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'details':
      return isDetailsView(value.view);
    case 'logStart':
      return isLogSelection(value.selection);
    case 'logLines':
      return isStringArray(value.lines) && typeof value.dropped === 'number' && value.dropped >= 0;
    case 'logStatus':
      return typeof value.state === 'string' && logStates.has(value.state) && typeof value.text === 'string';
    default:
      return false;
  }
}

/** Checks state restored after a reload (it was written by an older or newer webview, perhaps). */
export function isPodDetailsState(value: unknown): value is PodDetailsState {
  return (
    isRecord(value) &&
    isPodRef(value.ref) &&
    (value.selection === undefined || isLogSelection(value.selection)) &&
    typeof value.search === 'string' &&
    typeof value.follow === 'boolean' &&
    typeof value.paused === 'boolean'
  );
}
