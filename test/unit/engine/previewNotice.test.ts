import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PreviewResult } from '../../../src/sandbox/preview/previewLoop';
import { previewNotice } from '../../../src/engine/previewNotice';

const result: PreviewResult = { url: 'http://127.0.0.1:4000/products', sandbox: 'jane-main', namespace: 'jane-main', context: 'dev', warm: false, status: 200, pods: [], lastErrors: [], notes: [], elapsedMs: 900 };

test('a namespace-routed preview offers the link', () => {
  assert.deepEqual(previewNotice(result), {
    message: 'Preview of "jane-main": http://127.0.0.1:4000/products',
    actions: [
      { label: 'Copy Link', copy: result.url },
      { label: 'Open in Browser', open: result.url },
    ],
  });
});

test('a header-routed preview says which Service it enters and which header it sets, and offers the curl', () => {
  const curl = `curl -H 'baggage: tether-sandbox=jane-main' '${result.url}'`;
  const notice = previewNotice({ ...result, namespace: 'shop', placementReason: 'No permission to create namespaces.', routing: { mode: 'header', header: 'baggage: tether-sandbox=jane-main', entry: 'web.shop', curl } });
  assert.equal(notice.message, 'Preview of "jane-main" (header routing): http://127.0.0.1:4000/products enters the baseline\'s Service web.shop and adds "baggage: tether-sandbox=jane-main" to every request. No permission to create namespaces.');
  assert.deepEqual(notice.actions.map((a) => a.label), ['Copy Link', 'Copy curl', 'Open in Browser']);
  assert.deepEqual(notice.actions[1], { label: 'Copy curl', copy: curl });
});
