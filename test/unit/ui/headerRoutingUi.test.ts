import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PreviewResult } from '../../../src/sandbox/preview/previewLoop';
import type { RunningSummary } from '../../../src/sandbox/preview/previewRunning';
import { previewText, statusText } from '../../../src/engine/tools/toolText';
import { detailNodes, type SandboxNode } from '../../../src/ui/sandbox/sandboxTreeModel';

const result: PreviewResult = { url: 'http://127.0.0.1:4000/', sandbox: 'jane-main', namespace: 'jane-main', context: 'sim', warm: true, status: 200, pods: [], lastErrors: [], notes: [], elapsedMs: 5 };

test('tether_preview says which routing the preview uses', () => {
  assert.match(previewText(result), /\nRouting: namespace \(the URL enters the sandbox's own entry Service; no header needed\)\.\n/);
  const curl = "curl -H 'baggage: tether-sandbox=jane-main' 'http://127.0.0.1:4000/'";
  const text = previewText({ ...result, routing: { mode: 'header', header: 'baggage: tether-sandbox=jane-main', entry: 'web.shop', curl } });
  assert.match(text, /\nRouting: header \(the URL is a local proxy into the baseline's Service web\.shop that adds "baggage: tether-sandbox=jane-main" to every request;/);
  assert.ok(text.includes(`From a terminal: ${curl}`));
});

test('tether_sandbox_status shows the header of a header-routed preview', () => {
  const running: RunningSummary = { key: 'sim/jane-main', context: 'sim', sandbox: 'jane-main', namespace: 'jane-main', url: 'http://127.0.0.1:4000/', routingHeader: 'baggage: tether-sandbox=jane-main', tunnels: [], heartbeat: 'renewing', lastErrors: [] };
  assert.match(statusText('sim', undefined, [running], new Map()), /preview http:\/\/127\.0\.0\.1:4000\/ \(header routing: baggage: tether-sandbox=jane-main\); Lease renewing/);
});

test('the Sandboxes view shows the header of a header-routed preview under its link', () => {
  const live: RunningSummary = { key: 'sim/jane-main', context: 'sim', sandbox: 'jane-main', namespace: 'jane-main', url: 'http://127.0.0.1:4000/', routingHeader: 'baggage: tether-sandbox=jane-main', tunnels: [], heartbeat: 'renewing', lastErrors: [] };
  const node = { type: 'sandbox', id: 'sim/jane-main', context: 'sim', summary: { readOnly: false }, running: live, label: 'jane-main', description: '', tooltip: '', contextValue: '' } as unknown as Extract<SandboxNode, { type: 'sandbox' }>;
  const details = detailNodes({ node, forks: ['api'], pods: [], events: [] });
  assert.deepEqual(details.slice(0, 2).map((d) => (d.type === 'detail' ? `${d.label}: ${d.description}` : d.type)), ['Preview: http://127.0.0.1:4000/', 'Header routing: baggage: tether-sandbox=jane-main']);
});
