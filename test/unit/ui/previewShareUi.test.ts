import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PreviewResult } from '../../../src/sandbox/previewLoop';
import { previewText, statusText } from '../../../src/ui/lmtools/toolText';
import { previewNotice } from '../../../src/ui/sandbox/previewNotice';

const share = { url: 'https://jane-main.preview.example.com/products', link: 'https://jane-main.preview.example.com/products?tether_token=v1.jane-main.1795410000.sig', expiresAt: '2026-11-23T05:00:00.000Z' };
const result: PreviewResult = { url: 'http://127.0.0.1:4000/products', sandbox: 'jane-main', namespace: 'jane-main', context: 'dev', warm: false, status: 200, pods: [], lastErrors: [], notes: [], elapsedMs: 900, share };

test('with a preview domain the notice offers the signed shareable link next to the local one', () => {
  const notice = previewNotice(result);
  assert.equal(notice.message, 'Preview of "jane-main": http://127.0.0.1:4000/products Shareable: https://jane-main.preview.example.com/products (Copy Shareable Link gives a signed link, valid until 2026-11-23 05:00 UTC).');
  assert.deepEqual(notice.actions, [
    { label: 'Copy Link', copy: result.url },
    { label: 'Copy Shareable Link', copy: share.link },
    { label: 'Open in Browser', open: result.url },
  ]);
});

test('the tools report the shareable URL and the signed link, and the running sandbox\'s shareable URL', () => {
  const text = previewText(result);
  assert.match(text, /^Preview URL: http:\/\/127\.0\.0\.1:4000\/products\nShareable URL: https:\/\/jane-main\.preview\.example\.com\/products /);
  assert.match(text, /Signed link \(valid until 2026-11-23T05:00:00.000Z\): https:\/\/jane-main\.preview\.example\.com\/products\?tether_token=v1\./);
  assert.ok(!previewText({ ...result, share: undefined }).includes('Shareable'));
  const status = statusText('dev', undefined, [{ key: 'dev/jane-main', context: 'dev', sandbox: 'jane-main', namespace: 'jane-main', url: result.url, shareUrl: share.url, tunnels: [], heartbeat: 'renewing', lastErrors: [] }], new Map());
  assert.match(status, /preview http:\/\/127\.0\.0\.1:4000\/products; shareable at https:\/\/jane-main\.preview\.example\.com\/products; Lease renewing/);
});
