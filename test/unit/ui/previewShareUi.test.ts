import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PreviewResult } from '../../../src/sandbox/preview/previewLoop';
import { previewText, statusText } from '../../../src/engine/tools/toolText';
import type { KubeObject } from '../../../src/kube/types';
import type { RunningSummary } from '../../../src/sandbox/preview/previewRunning';
import { previewNotice } from '../../../src/engine/previewNotice';
import { detailNodes, type SandboxNode } from '../../../src/ui/sandbox/sandboxTreeModel';
import { forkNames } from '../../../src/sandbox/forks/forkNames';

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

test('the Sandboxes view shows the shareable host, and the agent that runs the gate is not counted as a fork', () => {
  const live: RunningSummary = { key: 'sim/jane-main', context: 'sim', sandbox: 'jane-main', namespace: 'jane-main', url: result.url, shareUrl: share.url, tunnels: [], heartbeat: 'renewing', lastErrors: [] };
  const node = { type: 'sandbox', id: 'sim/jane-main', context: 'sim', summary: { readOnly: false }, running: live, label: 'jane-main', description: '', tooltip: '', contextValue: '' } as unknown as Extract<SandboxNode, { type: 'sandbox' }>;
  const shareNode = detailNodes({ node, forks: ['api'], pods: [], events: [] }).find((d) => d.id === 'sim/jane-main/share');
  assert.ok(shareNode && shareNode.type === 'detail');
  assert.equal(shareNode.description, share.url);
  const deployment = (name: string, role: string, fork?: string) => ({ metadata: { name, labels: { 'tether.dev/role': role, ...(fork ? { 'tether.dev/fork': fork } : {}) } } }) as unknown as KubeObject;
  assert.deepEqual(forkNames([deployment('api', 'fork', 'api'), deployment('tether-agent', 'agent')]), ['api']);
});
