import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHostMessage, isSandboxDashboardState, isWebviewMessage } from '../../../src/ui/webviews/sandboxDashboardProtocol';

const ref = { context: 'kind', namespace: 'jane-main', sandbox: 'jane-main' };
const view = { ref, exists: true, forks: ['api'], checks: [{ name: 'smoke', image: 'curl', state: 'failed', duration: '1.2 s', reason: 'exit 3' }], running: false, ttl: '1h 2m' };

test('the webview may only say ready, run checks or cancel them', () => {
  for (const m of [{ type: 'ready' }, { type: 'runChecks' }, { type: 'cancelChecks' }]) assert.ok(isWebviewMessage(m), m.type);
  for (const m of [{ type: 'deleteSandbox' }, null, 'ready', [], { command: 'ready' }]) assert.ok(!isWebviewMessage(m), JSON.stringify(m));
});

test('host messages are checked in the webview: views and check logs', () => {
  assert.ok(isHostMessage({ type: 'view', view }));
  assert.ok(isHostMessage({ type: 'checkLog', runId: 'r1', check: 'smoke', lines: ['a', 'b'], dropped: 0 }));
  assert.ok(!isHostMessage({ type: 'view', view: { ...view, checks: [{ ...view.checks[0], state: 'exploded' }] } }));
  assert.ok(!isHostMessage({ type: 'view', view: { ...view, ref: { ...ref, sandbox: '' } } }));
  assert.ok(!isHostMessage({ type: 'view', view: { ...view, previewUrl: 42 } }));
  assert.ok(!isHostMessage({ type: 'checkLog', runId: 'r1', check: 'smoke', lines: [1], dropped: 0 }));
  assert.ok(!isHostMessage({ type: 'checkLog', runId: 'r1', check: 'smoke', lines: [], dropped: -1 }));
  assert.ok(!isHostMessage({ type: 'logLines', lines: [], dropped: 0 }));
});

test('saved state names its sandbox and the open logs', () => {
  assert.ok(isSandboxDashboardState({ ref, open: ['smoke'] }));
  assert.ok(!isSandboxDashboardState({ ref, open: 'smoke' }));
  assert.ok(!isSandboxDashboardState({ ref: { context: 'kind' }, open: [] }));
  assert.ok(!isSandboxDashboardState(undefined));
});
