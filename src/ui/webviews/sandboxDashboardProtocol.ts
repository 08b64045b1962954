/**
 * The sandbox dashboard's protocol: every message in both directions, the state the webview
 * persists across reloads, and the guards that check them at each boundary. Imported by the
 * extension (src/ui/webviews) and by the webview script (media/sandboxDashboard.ts). Pure: no
 * vscode, no DOM, no Node.
 */

export const sandboxDashboardViewType = 'tether.sandboxDashboard';

/** Largest number of log lines the dashboard keeps per check; older ones are dropped with a marker. */
export const maxCheckLogLines = 2000;

export interface SandboxRef {
  context: string;
  namespace: string;
  sandbox: string;
}

export type CheckStateTag = 'pending' | 'running' | 'passed' | 'failed' | 'cancelled';

export interface CheckView {
  name: string;
  image: string;
  state: CheckStateTag;
  /** "840 ms", "12.3 s", "2m 05s"; while running, the time so far. */
  duration?: string;
  reason?: string;
  job?: string;
}

export interface DashboardView {
  ref: SandboxRef;
  /** False when the sandbox's Lease is gone (deleted, or never created). */
  exists: boolean;
  /** "active", "not renewed", "lease lapsed". */
  state?: string;
  /** "1h 52m" or "lapsed 3m ago". */
  ttl?: string;
  owner?: string;
  forks: string[];
  previewUrl?: string;
  checks: CheckView[];
  /** Tells check runs apart: logs of another run are not mixed in. */
  runId?: string;
  /** A run is in progress. */
  running: boolean;
  /** "1 passed, 1 failed in 12.3 s". */
  summary?: string;
  /** Why checks cannot run now, or what went wrong reading the sandbox. */
  notice?: string;
}

/** Messages from the extension to the webview. */
export type HostMessage =
  | { type: 'view'; view: DashboardView }
  | { type: 'checkLog'; runId: string; check: string; lines: string[]; dropped: number };

/** Messages from the webview to the extension. */
export type WebviewMessage = { type: 'ready' } | { type: 'runChecks' } | { type: 'cancelChecks' };

/** What the webview keeps with vscode.setState, and the serializer reads after a window reload. */
export interface SandboxDashboardState {
  ref: SandboxRef;
  /** Checks whose log the user opened. */
  open: string[];
}

type Guarded = Record<string, unknown>;

function isRecord(value: unknown): value is Guarded {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isName(value: unknown, max = 253): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

function isOptionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

export function isSandboxRef(value: unknown): value is SandboxRef {
  return isRecord(value) && isName(value.context, 1024) && isName(value.namespace, 63) && isName(value.sandbox, 63);
}

/** Checks a message the webview sent; anything else is dropped by the panel. */
export function isWebviewMessage(value: unknown): value is WebviewMessage {
  return isRecord(value) && (value.type === 'ready' || value.type === 'runChecks' || value.type === 'cancelChecks');
}

const checkStates: ReadonlySet<string> = new Set<CheckStateTag>(['pending', 'running', 'passed', 'failed', 'cancelled']);

function isCheckView(value: unknown): value is CheckView {
  return (
    isRecord(value) &&
    isName(value.name, 63) &&
    typeof value.image === 'string' &&
    typeof value.state === 'string' &&
    checkStates.has(value.state) &&
    isOptionalString(value.duration) &&
    isOptionalString(value.reason) &&
    isOptionalString(value.job)
  );
}

function isDashboardView(value: unknown): value is DashboardView {
  return (
    isRecord(value) &&
    isSandboxRef(value.ref) &&
    typeof value.exists === 'boolean' &&
    typeof value.running === 'boolean' &&
    isStringArray(value.forks) &&
    Array.isArray(value.checks) &&
    value.checks.every(isCheckView) &&
    [value.state, value.ttl, value.owner, value.previewUrl, value.runId, value.summary, value.notice].every(isOptionalString)
  );
}

/** Checks a message the extension sent (the webview's side of the boundary). */
export function isHostMessage(value: unknown): value is HostMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'view':
      return isDashboardView(value.view);
    case 'checkLog':
      return isName(value.runId) && isName(value.check, 63) && isStringArray(value.lines) && typeof value.dropped === 'number' && value.dropped >= 0;
    default:
      return false;
  }
}

/** Checks state restored after a reload (it was written by an older or newer webview, perhaps). */
export function isSandboxDashboardState(value: unknown): value is SandboxDashboardState {
  return isRecord(value) && isSandboxRef(value.ref) && isStringArray(value.open);
}
