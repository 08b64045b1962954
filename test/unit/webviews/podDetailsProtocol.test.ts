import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHostMessage, isPodDetailsState, isWebviewMessage } from '../../../src/ui/webviews/podDetailsProtocol';

const selection = { container: 'app', previous: false, timestamps: true };
const ref = { context: 'kind-dev', namespace: 'shop', name: 'cart-1' };

test('webview messages: the three kinds pass, anything else is dropped', () => {
  for (const ok of [{ type: 'ready' }, { type: 'ready', selection }, { type: 'selectLog', selection }, { type: 'setPaused', paused: true }]) {
    assert.equal(isWebviewMessage(ok), true, JSON.stringify(ok));
  }
  const bad: unknown[] = [
    undefined,
    null,
    'ready',
    [],
    { command: 'ready' },
    { type: 'eval', code: '1' },
    { type: 'ready', selection: { container: 'app' } },
    { type: 'selectLog' },
    { type: 'selectLog', selection: { ...selection, container: '' } },
    { type: 'selectLog', selection: { ...selection, container: 'x'.repeat(64) } },
    { type: 'selectLog', selection: { ...selection, previous: 'yes' } },
    { type: 'setPaused', paused: 1 },
    { type: '__proto__' },
  ];
  for (const b of bad) assert.equal(isWebviewMessage(b), false, JSON.stringify(b));
});

test('host messages are checked on the webview side too', () => {
  const view = { ref, exists: true, phase: 'Running', health: 'ok', ready: 1, total: 1, restarts: 0, gpus: '', conditions: [], containers: [], events: [] };
  for (const ok of [
    { type: 'details', view },
    { type: 'logStart', selection },
    { type: 'logLines', lines: ['a', 'b'], dropped: 0 },
    { type: 'logStatus', state: 'streaming', text: 'Following app.' },
  ]) {
    assert.equal(isHostMessage(ok), true, JSON.stringify(ok));
  }
  for (const bad of [
    { type: 'details', view: { ...view, ref: { name: 'x' } } },
    { type: 'details', view: { ...view, containers: 'none' } },
    { type: 'logLines', lines: ['a', 3], dropped: 0 },
    { type: 'logLines', lines: [], dropped: -1 },
    { type: 'logStatus', state: 'exploded', text: '' },
    { type: 'logStart' },
  ]) {
    assert.equal(isHostMessage(bad), false, JSON.stringify(bad));
  }
});

test('saved state: what the serializer may restore from', () => {
  assert.equal(isPodDetailsState({ ref, selection, search: 'err', follow: true, paused: false }), true);
  assert.equal(isPodDetailsState({ ref, search: '', follow: false, paused: true }), true);
  assert.equal(isPodDetailsState(undefined), false);
  assert.equal(isPodDetailsState({ ref: { ...ref, namespace: '' }, search: '', follow: true, paused: false }), false);
  assert.equal(isPodDetailsState({ ref, search: '', follow: true }), false);
});
