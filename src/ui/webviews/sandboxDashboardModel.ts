/**
 * The sandbox dashboard as pure data: which sandbox a command argument names, and the view the
 * webview renders from the sandbox's Lease summary, its forks, its preview URL and the progress
 * of the last check run. No VS Code import, so node:test checks it.
 */
import type { CheckProgress } from '../../sandbox/checks/checkSuite';
import type { SandboxSummary } from '../../sandbox/lifecycle/lifecycle';
import type { CheckSpec } from '../../sandbox/spec';
import { ttlText } from '../sandbox/sandboxTreeModel';
import type { CheckView, DashboardView, SandboxRef } from './sandboxDashboardProtocol';

/** "840 ms", "12.3 s", "2m 05s". */
export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/** The sandbox a command was given: a Sandboxes view row, a location, or a dashboard's own ref. */
export function sandboxRefFrom(arg: unknown, selectedContext: string | undefined): SandboxRef | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const value = arg as { context?: unknown; sandbox?: unknown; namespace?: unknown; summary?: { sandbox?: unknown; namespace?: unknown } };
  const from = value.summary ?? value;
  const context = typeof value.context === 'string' && value.context ? value.context : selectedContext;
  if (!context || typeof from.sandbox !== 'string' || !from.sandbox || typeof from.namespace !== 'string' || !from.namespace) return undefined;
  return { context, sandbox: from.sandbox, namespace: from.namespace };
}

export function refKey(ref: SandboxRef): string {
  return `${ref.context}/${ref.namespace}/${ref.sandbox}`;
}

/** Log text as lines, without the empty one after a final newline. */
export function logLines(text: string): string[] {
  if (!text) return [];
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** One row per check of tether.yaml, with what the last run says about it. */
export function checkViews(checks: readonly CheckSpec[], progress: readonly CheckProgress[], now: number): CheckView[] {
  return checks.map((spec) => {
    const p = progress.find((c) => c.name === spec.name);
    const view: CheckView = { name: spec.name, image: spec.image, state: p?.state ?? 'pending' };
    const ms = p?.durationMs ?? (p?.state === 'running' && p.startedAt !== undefined ? now - p.startedAt : undefined);
    if (ms !== undefined) view.duration = durationText(ms);
    if (p?.reason) view.reason = p.reason;
    if (p?.job) view.job = p.job;
    return view;
  });
}

/** "2 passed, 1 failed in 12.3 s"; "running: 1 of 3 done" while running; undefined before any run. */
export function suiteSummary(progress: readonly CheckProgress[], running: boolean, durationMs?: number): string | undefined {
  if (progress.length === 0) return undefined;
  const count = (state: CheckProgress['state']) => progress.filter((p) => p.state === state).length;
  if (running) return `Running: ${count('passed') + count('failed')} of ${progress.length} done`;
  const parts = [`${count('passed')} passed`, `${count('failed')} failed`];
  if (count('cancelled')) parts.push(`${count('cancelled')} cancelled`);
  return `${parts.join(', ')}${durationMs === undefined ? '' : ` in ${durationText(durationMs)}`}`;
}

export interface DashboardInput {
  ref: SandboxRef;
  summary?: SandboxSummary;
  forks: string[];
  previewUrl?: string;
  checks: readonly CheckSpec[];
  progress: readonly CheckProgress[];
  runId?: string;
  running: boolean;
  runDurationMs?: number;
  notice?: string;
  now: number;
}

export function dashboardView(input: DashboardInput): DashboardView {
  const { ref, summary } = input;
  const view: DashboardView = {
    ref,
    exists: summary !== undefined,
    forks: input.forks,
    checks: checkViews(input.checks, input.progress, input.now),
    running: input.running,
  };
  if (summary) {
    view.state = summary.state === 'orphan' ? 'lease lapsed' : summary.state === 'stale' ? 'not renewed' : 'active';
    view.ttl = ttlText(summary.expiresAt - input.now);
    view.owner = summary.developer ?? summary.owner;
  }
  if (input.previewUrl) view.previewUrl = input.previewUrl;
  if (input.runId) view.runId = input.runId;
  const text = suiteSummary(input.progress, input.running, input.runDurationMs);
  if (text) view.summary = text;
  if (input.notice) view.notice = input.notice;
  return view;
}
