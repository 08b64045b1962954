// The Sandboxes view model and the language-model tools' text: pure, from listings and summaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SandboxListing, SandboxSummary } from '../../../src/sandbox/lifecycle/lifecycle';
import type { RunningSummary } from '../../../src/sandbox/preview/previewRunning';
import { eventLines } from '../../../src/sandbox/preview/previewStatus';
import { previewText, statusText } from '../../../src/engine/tools/toolText';
import { detailNodes, failureNodes, groupNodes, sandboxNodes, ttlText } from '../../../src/ui/sandbox/sandboxTreeModel';
import { ExplainedError } from '../../../src/kube/errors';

const now = Date.parse('2026-11-22T03:00:00Z');

function summary(sandbox: string, overrides: Partial<SandboxSummary> = {}): SandboxSummary {
  return {
    sandbox,
    namespace: sandbox,
    owner: 'jane',
    developer: 'jane',
    placement: 'namespace',
    renewedAt: now - 60_000,
    expiresAt: now - 60_000 + 7_200_000,
    ttlSeconds: 7200,
    remainingMs: 7_140_000,
    state: 'active',
    mine: true,
    readOnly: false,
    ...overrides,
  };
}

const listing: SandboxListing = {
  mine: [summary('jane-main')],
  others: [summary('bob-fix', { owner: 'bob', developer: 'bob', mine: false, readOnly: true })],
  orphans: [summary('jane-old', { state: 'orphan', expiresAt: now - 180_000, remainingMs: -180_000 })],
};

const running: RunningSummary = {
  key: 'sim/jane-main',
  context: 'sim',
  sandbox: 'jane-main',
  namespace: 'jane-main',
  url: 'http://127.0.0.1:41234/products',
  tunnels: [{ workload: 'api', state: 'connected', ports: '3000→127.0.0.1:3000' }],
  heartbeat: 'renewing',
  lastErrors: ['Cluster traffic for api (port 3000) could not reach 127.0.0.1:3000: connection refused'],
};

test('TTL countdown text', () => {
  assert.equal(ttlText(7_140_000), '1h 59m');
  assert.equal(ttlText(250_000), '4m 10s');
  assert.equal(ttlText(9_000), '9s');
  assert.equal(ttlText(-180_000), 'lapsed 3m 0s ago');
});

test('groups: mine, others read-only, orphans, with counts', () => {
  assert.deepEqual(
    groupNodes(listing).map((g) => g.type === 'group' && [g.label, g.count]),
    [
      ['Mine', 1],
      ["Others' (read-only)", 1],
      ['Orphans (lease lapsed)', 1],
    ],
  );
});

test('sandbox rows: running here, read-only, lapsed; only deletable ones carry the delete context', () => {
  const [mine] = sandboxNodes('sim', 'mine', listing, [running], now);
  assert.equal(mine.type === 'sandbox' && mine.description, 'jane-main · running here · TTL 1h 59m');
  assert.equal(mine.type === 'sandbox' && mine.contextValue, 'tether.sandbox.running');
  const [other] = sandboxNodes('sim', 'others', listing, [running], now);
  assert.equal(other.type === 'sandbox' && other.contextValue, 'tether.sandbox.readonly');
  assert.match(other.type === 'sandbox' ? other.tooltip : '', /Read-only/);
  const [orphan] = sandboxNodes('sim', 'orphans', listing, [], now);
  assert.match(orphan.type === 'sandbox' ? orphan.description : '', /lease lapsed · TTL lapsed 3m 0s ago/);
});

test('details: preview URL that opens, tunnel, lease, forks, pods with their problem, their events, recent problems', () => {
  const [mine] = sandboxNodes('sim', 'mine', listing, [running], now);
  assert.equal(mine.type, 'sandbox');
  if (mine.type !== 'sandbox') return;
  const details = detailNodes({
    node: mine,
    forks: ['api-relay (local)'],
    pods: [
      { name: 'api-relay-1', role: 'relay', phase: 'Running', ready: true, restarts: 0 },
      { name: 'web-2', role: 'fork', phase: 'Running', ready: false, restarts: 3, problem: 'pod "web-2" is waiting: container "web" CrashLoopBackOff' },
    ],
    events: eventLines(
      [
        { metadata: { name: 'e1', uid: '1', resourceVersion: '1' }, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', count: 4, lastTimestamp: '2026-11-22T02:59:00Z', involvedObject: { kind: 'Pod', name: 'web-2' } },
        { metadata: { name: 'e0', uid: '0', resourceVersion: '1' }, type: 'Normal', reason: 'Started', message: 'Started container', lastTimestamp: '2026-11-22T02:58:00Z', involvedObject: { kind: 'Pod', name: 'web-2' } },
        { metadata: { name: 'e2', uid: '2', resourceVersion: '1' }, type: 'Warning', reason: 'BackOff', message: 'not ours', lastTimestamp: '2026-11-22T02:59:30Z', involvedObject: { kind: 'Pod', name: 'baseline-1' } },
      ],
      new Set(['web-2', 'api-relay-1']),
    ),
  });
  const rows = details.map((d) => (d.type === 'detail' ? `${d.label}: ${d.description}` : ''));
  assert.deepEqual(rows, [
    'Preview: http://127.0.0.1:41234/products',
    'Tunnel api: connected · 3000→127.0.0.1:3000',
    'Lease: renewed by this window',
    'Forks: api-relay (local)',
    'api-relay-1: relay · ready',
    'web-2: fork · Running · 3 restarts',
    'Event: Normal Started pod/web-2: Started container',
    'Event: Warning BackOff pod/web-2: Back-off restarting failed container (4×)',
    'Problem: Cluster traffic for api (port 3000) could not reach 127.0.0.1:3000: connection refused',
  ]);
  assert.equal(details[0].type === 'detail' && details[0].url, running.url);
  assert.match(details[5].type === 'detail' ? (details[5].tooltip ?? '') : '', /CrashLoopBackOff/);
});

test('tool text: the preview answer and the status report', () => {
  const text = previewText({
    url: running.url!,
    sandbox: 'jane-main',
    namespace: 'jane-main',
    context: 'sim',
    warm: true,
    status: 200,
    pods: [{ name: 'api-relay-1', role: 'relay', phase: 'Running', ready: true, restarts: 0 }],
    lastErrors: ['api-relay-1: Error: boom'],
    notes: [],
    elapsedMs: 12,
  });
  assert.match(text, /^Preview URL: http:\/\/127\.0\.0\.1:41234\/products\n/);
  assert.match(text, /already running; health check answered HTTP 200 in 12 ms/);
  assert.match(text, /- api-relay-1 \[relay\] ready/);
  assert.match(text, /Last errors:\n {2}api-relay-1: Error: boom/);

  const status = statusText('sim', listing, [running], new Map([['jane-main/jane-main', []]]));
  assert.match(status, /Running in this window: jane-main .* preview http:\/\/127\.0\.0\.1:41234\/products; Lease renewing/);
  assert.match(status, /tunnel api: connected/);
  assert.match(status, /Mine: 1\n {2}- jane-main in jane-main: active, expires in 119 min/);
  assert.match(status, /Orphans: 1\n {2}- jane-old in jane-old: orphan, lease lapsed/);
  assert.match(statusText(undefined, undefined, [], new Map()), /No Kubernetes context/);
  assert.doesNotMatch(statusText('sim', listing, [running], new Map(), 'bob-fix'), /jane-main/);
});

test('the Sandboxes view that could not read the cluster says only that, and the next step', () => {
  const error = new ExplainedError({ reason: 'Unreachable', what: 'List leases in namespace default', why: 'the cluster at https://10.0.0.1:6443 did not answer (ECONNREFUSED)', remedy: 'Check the VPN', server: 'https://10.0.0.1:6443', context: 'dev' });
  assert.deepEqual(failureNodes('message', error), [
    { type: 'message', id: 'message/error', label: 'Cannot reach the cluster of context "dev": the cluster at https://10.0.0.1:6443 did not answer (ECONNREFUSED)', error: true },
    { type: 'message', id: 'message/next', label: 'Next: Check the VPN', error: false, retry: true },
  ]);
  const forbidden = new ExplainedError({ reason: 'Forbidden', what: 'List leases in namespace default', why: 'user "jane" may not list leases', remedy: 'Ask for a Role' });
  assert.equal(failureNodes('message', forbidden)[0].label, 'List leases in namespace default failed: user "jane" may not list leases');
  assert.deepEqual(failureNodes('x', new Error('boom')), [{ type: 'message', id: 'x/error', label: 'boom', error: true }]);
});
