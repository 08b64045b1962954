// The preview health check against real local HTTP servers, and pod status explanations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ExplainedError } from '../../../src/kube/errors';
import type { KubeObject } from '../../../src/kube/types';
import { checkHealth, explainHealth } from '../../../src/sandbox/lifecycle/health';
import { ManualClock } from '../kube/manual-clock';
import { isPodReady, podProblem, targetPortIn } from '../../../src/sandbox/preview/previewTarget';

async function serve(t: { after(fn: () => unknown): void }, handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

test('a 200 and a 404 both count as answering', async (t) => {
  const ok = await serve(t, (_req, res) => res.end('hi'));
  const r1 = await checkHealth(ok);
  assert.equal(r1.ok, true);
  assert.equal(r1.ok && r1.status, 200);
  const missing = await serve(t, (_req, res) => {
    res.statusCode = 404;
    res.end('no');
  });
  const r2 = await checkHealth(missing);
  assert.deepEqual(r2.ok && r2.status, 404);
});

test('a 503 fails with its status and body in the explanation', async (t) => {
  const url = await serve(t, (_req, res) => {
    res.writeHead(503, 'Service Unavailable');
    res.end('database is down');
  });
  const result = await checkHealth(url);
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.failure.kind, 'server-error');
  const error = explainHealth(url, result.failure);
  assert.equal(error.reason, 'ServerError');
  assert.equal(error.status, 503);
  assert.match(error.why, /HTTP 503 Service Unavailable: database is down/);
});

test('a service that never answers times out with the limit in the explanation', async (t) => {
  let asked!: () => void;
  const requested = new Promise<void>((resolve) => (asked = resolve));
  const url = await serve(t, () => asked());
  const clock = new ManualClock();
  const checking = checkHealth(url, { timeoutMs: 200, clock });
  await requested;
  clock.advance(200);
  const result = await checking;
  assert.equal(result.ms, 200, 'it gave up exactly at its limit');
  assert.equal(!result.ok && result.failure.kind, 'timeout');
  if (!result.ok) assert.match(explainHealth(url, result.failure).why, /did not answer within 0\.2 s/);
});

test('a closed port is refused; a connection closed without an answer is a reset', async (t) => {
  const probe = createTcpServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const refused = await checkHealth(`http://127.0.0.1:${port}/`);
  assert.equal(!refused.ok && refused.failure.kind, 'refused');
  if (!refused.ok) assert.match(explainHealth(`http://127.0.0.1:${port}/`, refused.failure).why, /refused/);

  const rude = createTcpServer((s) => s.destroy());
  await new Promise<void>((r) => rude.listen(0, '127.0.0.1', r));
  t.after(() => rude.close());
  const reset = await checkHealth(`http://127.0.0.1:${(rude.address() as AddressInfo).port}/`);
  assert.equal(!reset.ok && reset.failure.kind, 'reset');
});

test('an entry failure keeps its own explanation', () => {
  const error = new ExplainedError({ reason: 'Unreachable', what: 'Open the preview', why: 'no pod behind it is ready: pod "api-1" is waiting: container "api" CrashLoopBackOff', remedy: 'Check its logs' });
  const explained = explainHealth('http://127.0.0.1:1/', { kind: 'entry', error });
  assert.equal(explained.what, 'Preview http://127.0.0.1:1/');
  assert.match(explained.why, /api-1.*CrashLoopBackOff/);
  assert.equal(explained.remedy, 'Check its logs');
});

test('cancellation rejects quietly as an AbortError', async (t) => {
  const url = await serve(t, () => undefined);
  const abort = new AbortController();
  const pending = checkHealth(url, { signal: abort.signal, timeoutMs: 5000 });
  abort.abort();
  await assert.rejects(pending, { name: 'AbortError' });
});

function pod(status: unknown, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { metadata: { name: 'api-7d9f', uid: 'u', resourceVersion: '1', ...extra }, spec: { containers: [{ name: 'api', ports: [{ name: 'http', containerPort: 3000 }] }] }, status };
}

test('pod problems say which pod and why', () => {
  assert.match(podProblem(pod({ phase: 'Running', containerStatuses: [{ name: 'api', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } } }] })), /pod "api-7d9f" is waiting: container "api" CrashLoopBackOff \(back-off 40s\), 4 restarts/);
  assert.match(podProblem(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', message: '0/3 nodes have enough memory' }] })), /cannot be scheduled: 0\/3 nodes have enough memory/);
  assert.match(podProblem(pod({ phase: 'Pending', containerStatuses: [{ name: 'api', state: { waiting: { reason: 'ImagePullBackOff', message: 'not found' } } }] })), /ImagePullBackOff \(not found\)/);
  assert.match(podProblem(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] })), /running but not ready/);
  assert.match(podProblem(pod({ phase: 'Running' }, { deletionTimestamp: '2026-01-01T00:00:00Z' })), /shutting down/);
  assert.equal(isPodReady(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] })), true);
  assert.equal(isPodReady(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] })), false);
});

test('named target ports resolve in the pod, numbers pass through', () => {
  const p = pod({});
  assert.equal(targetPortIn(p, 'http'), 3000);
  assert.equal(targetPortIn(p, 8080), 8080);
  assert.equal(targetPortIn(p, '8081'), 8081);
  assert.equal(targetPortIn(p, 'grpc'), undefined);
});
