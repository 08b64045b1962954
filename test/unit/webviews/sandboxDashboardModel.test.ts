import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SandboxSummary } from '../../../src/sandbox/lifecycle/lifecycle';
import type { CheckSpec } from '../../../src/sandbox/spec';
import { checkViews, dashboardView, durationText, logLines, refKey, sandboxRefFrom, suiteSummary } from '../../../src/ui/webviews/sandboxDashboardModel';

const spec = (name: string): CheckSpec => ({ name, image: `img/${name}`, command: ['run'], env: {}, timeoutSeconds: 60 });

test('durations read as ms, seconds, then minutes and seconds', () => {
  assert.equal(durationText(840), '840 ms');
  assert.equal(durationText(12_345), '12.3 s');
  assert.equal(durationText(125_000), '2m 05s');
});

test('a command argument names a sandbox: a Sandboxes view row, a location, or nothing usable', () => {
  const row = { type: 'sandbox', context: 'kind', summary: { sandbox: 'jane-main', namespace: 'jane-main' } };
  assert.deepEqual(sandboxRefFrom(row, 'other'), { context: 'kind', sandbox: 'jane-main', namespace: 'jane-main' });
  assert.deepEqual(sandboxRefFrom({ sandbox: 'jane-main', namespace: 'shop' }, 'kind'), { context: 'kind', sandbox: 'jane-main', namespace: 'shop' });
  assert.equal(sandboxRefFrom({ sandbox: 'jane-main', namespace: 'shop' }, undefined), undefined);
  assert.equal(sandboxRefFrom({ type: 'group' }, 'kind'), undefined);
  assert.equal(sandboxRefFrom('jane-main', 'kind'), undefined);
  assert.equal(refKey({ context: 'kind', namespace: 'shop', sandbox: 'jane-main' }), 'kind/shop/jane-main');
});

test('log text splits into lines without a trailing empty one', () => {
  assert.deepEqual(logLines('a\r\nb\n'), ['a', 'b']);
  assert.deepEqual(logLines(''), []);
});

test('check rows follow tether.yaml, with the last run state, durations (running ones tick) and reasons', () => {
  const views = checkViews([spec('smoke'), spec('load'), spec('contract')], [
    { name: 'smoke', state: 'passed', durationMs: 1500, job: 'check-smoke-r1', log: 'ok' },
    { name: 'load', state: 'running', startedAt: 10_000 },
    { name: 'contract', state: 'failed', durationMs: 300, reason: 'the check exited with code 3' },
  ], 14_000);
  assert.deepEqual(views, [
    { name: 'smoke', image: 'img/smoke', state: 'passed', duration: '1.5 s', job: 'check-smoke-r1' },
    { name: 'load', image: 'img/load', state: 'running', duration: '4.0 s' },
    { name: 'contract', image: 'img/contract', state: 'failed', duration: '300 ms', reason: 'the check exited with code 3' },
  ]);
  assert.deepEqual(checkViews([spec('new')], [], 0), [{ name: 'new', image: 'img/new', state: 'pending' }]);
});

test('the run summary counts results, or progress while running', () => {
  const progress = [
    { name: 'a', state: 'passed' as const },
    { name: 'b', state: 'failed' as const },
    { name: 'c', state: 'cancelled' as const },
  ];
  assert.equal(suiteSummary(progress, false, 12_300), '1 passed, 1 failed, 1 cancelled in 12.3 s');
  assert.equal(suiteSummary(progress, true), 'Running: 2 of 3 done');
  assert.equal(suiteSummary([], false), undefined);
});

test('the view carries the sandbox, its TTL left, forks, preview URL and notice', () => {
  const summary = { sandbox: 'jane-main', namespace: 'jane-main', owner: 'jane', developer: 'Jane', state: 'active', expiresAt: 1_000_000 + 112 * 60_000 } as SandboxSummary;
  const ref = { context: 'kind', namespace: 'jane-main', sandbox: 'jane-main' };
  const view = dashboardView({ ref, summary, forks: ['api'], previewUrl: 'http://127.0.0.1:4000/', checks: [spec('smoke')], progress: [], running: false, now: 1_000_000 });
  assert.deepEqual(view, { ref, exists: true, state: 'active', ttl: '1h 52m', owner: 'Jane', forks: ['api'], previewUrl: 'http://127.0.0.1:4000/', checks: [{ name: 'smoke', image: 'img/smoke', state: 'pending' }], running: false });
  const gone = dashboardView({ ref, forks: [], checks: [], progress: [], running: false, notice: 'no tether.yaml', now: 0 });
  assert.equal(gone.exists, false);
  assert.equal(gone.ttl, undefined);
  assert.equal(gone.notice, 'no tether.yaml');
  const lapsed = dashboardView({ ref, summary: { ...summary, state: 'orphan', expiresAt: 0 }, forks: [], checks: [], progress: [], running: false, now: 180_000 });
  assert.equal(lapsed.state, 'lease lapsed');
  assert.equal(lapsed.ttl, 'lapsed 3m 0s ago');
});
