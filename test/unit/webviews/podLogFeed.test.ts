import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { RequestOptions } from '../../../src/kube/api';
import { ExplainedError } from '../../../src/kube/errors';
import { PodLogFeed } from '../../../src/ui/webviews/podLogFeed';
import { podLogRequest, type LogStreamSource } from '../../../src/workloads/podLogStream';
import type { LogSelection, LogState } from '../../../src/ui/webviews/podDetailsProtocol';

const ref = { context: 'sim', namespace: 'shop', name: 'cart-1' };

/** A log endpoint the test writes to: each request gets a response stream. */
class FakeLogs implements LogStreamSource {
  readonly requests: RequestOptions[] = [];
  readonly responses: PassThrough[] = [];
  refuse?: Error;
  async stream(options: RequestOptions): Promise<IncomingMessage> {
    this.requests.push(options);
    if (this.refuse) throw this.refuse;
    const res = new PassThrough();
    res.once('end', () => Object.assign(res, { complete: true }));
    this.responses.push(res);
    return res as unknown as IncomingMessage;
  }
}

function feed(logs: FakeLogs, maxLines = 5000) {
  const out = { starts: [] as LogSelection[], lines: [] as string[], dropped: 0, batches: 0, states: [] as Array<[LogState, string]> };
  const f = new PodLogFeed(ref, async () => logs, {
    start: (s) => out.starts.push(s),
    lines: (l, d) => {
      out.lines.push(...l);
      out.dropped += d;
      out.batches++;
    },
    status: (state, text) => out.states.push([state, text]),
  }, { intervalMs: 20, maxLines });
  return { f, out };
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
const app: LogSelection = { container: 'app', previous: false, timestamps: false };

test('the request: container, follow unless previous, timestamps, tail', () => {
  const current = podLogRequest({ namespace: 'shop', pod: 'cart-1', container: 'app' }, { follow: true, timestamps: true });
  assert.equal(current.path, '/api/v1/namespaces/shop/pods/cart-1/log');
  assert.deepEqual(current.query, { container: 'app', follow: true, previous: undefined, timestamps: true, tailLines: 1000 });
  const previous = podLogRequest({ namespace: 'shop', pod: 'cart-1', container: 'app' }, { follow: false, previous: true, tailLines: 50 });
  assert.deepEqual(previous.query, { container: 'app', follow: undefined, previous: true, timestamps: undefined, tailLines: 50 });
  assert.match(previous.what, /previous run's logs of container app in pod shop\/cart-1/);
});

test('lines split across chunks arrive whole, in batches, and the end is reported', async (t) => {
  const logs = new FakeLogs();
  const { f, out } = feed(logs);
  t.after(() => f.dispose());
  await f.select(app);
  assert.deepEqual(out.starts, [app]);
  assert.deepEqual(out.states.map((s) => s[0]), ['connecting', 'streaming']);
  const res = logs.responses[0];
  res.write('starting\nhal');
  res.write('f a line\r\n');
  for (let i = 0; i < 100; i++) res.write(`n${i}\n`);
  await tick(60);
  assert.equal(out.lines.length, 102);
  assert.deepEqual(out.lines.slice(0, 3), ['starting', 'half a line', 'n0']);
  assert.ok(out.batches <= 2, `${out.batches} batches for 102 lines`);
  res.end('no newline at the end');
  await tick(10);
  assert.equal(out.lines.at(-1), 'no newline at the end');
  assert.equal(out.states.at(-1)?.[0], 'ended');
});

test('switching logs aborts the old stream; its late lines are not shown', async (t) => {
  const logs = new FakeLogs();
  const { f, out } = feed(logs);
  t.after(() => f.dispose());
  await f.select(app);
  const first = logs.responses[0];
  await f.select({ ...app, previous: true });
  assert.equal(first.destroyed, true);
  first.write?.('late\n');
  logs.responses[1].write('from the previous run\n');
  await tick(50);
  assert.deepEqual(out.lines, ['from the previous run']);
  assert.equal(logs.requests[1].query?.previous, true);
  assert.equal(logs.requests[1].query?.follow, undefined);
});

test('pause holds lines (capped); resume sends the newest with the dropped count', async (t) => {
  const logs = new FakeLogs();
  const { f, out } = feed(logs, 10);
  t.after(() => f.dispose());
  await f.select(app);
  f.setPaused(true);
  assert.equal(out.states.at(-1)?.[0], 'paused');
  for (let i = 0; i < 25; i++) logs.responses[0].write(`${i}\n`);
  await tick(60);
  assert.deepEqual(out.lines, []);
  f.setPaused(false);
  await tick(40);
  assert.deepEqual(out.lines, Array.from({ length: 10 }, (_, i) => String(15 + i)));
  assert.equal(out.dropped, 15);
  assert.equal(out.states.at(-1)?.[0], 'streaming');
});

test('a refused log says why and what to do', async (t) => {
  const logs = new FakeLogs();
  logs.refuse = new ExplainedError({ reason: 'Forbidden', what: 'Stream logs of container app in pod shop/cart-1', why: 'user jane may not get pods/log in namespace shop', remedy: 'Ask for the pods/log permission' });
  const { f, out } = feed(logs);
  t.after(() => f.dispose());
  await f.select(app);
  const [state, text] = out.states.at(-1) ?? [];
  assert.equal(state, 'failed');
  assert.match(text ?? '', /may not get pods\/log/);
  assert.match(text ?? '', /Ask for the pods\/log permission/);
});

test('a stream that breaks midway is reported; dispose stops everything', async () => {
  const logs = new FakeLogs();
  const { f, out } = feed(logs);
  await f.select(app);
  logs.responses[0].destroy(new Error('socket hang up'));
  await tick(10);
  assert.equal(out.states.at(-1)?.[0], 'failed');
  assert.match(out.states.at(-1)?.[1] ?? '', /socket hang up/);
  await f.select(app);
  f.dispose();
  assert.equal(logs.responses[1].destroyed, true);
  await f.select(app);
  assert.equal(logs.requests.length, 2, 'a disposed feed opens nothing');
});

test('a previous run the server does not keep falls back to the current run, saying so', async (t) => {
  const logs = new FakeLogs();
  const notFound = new ExplainedError({ reason: 'Invalid', status: 400, what: "Read the previous run's logs", why: 'previous terminated container "app" in pod "cart-1" not found', remedy: 'Fix the fields named above and try again' });
  const stream = logs.stream.bind(logs);
  logs.stream = async (options) => {
    if (options.query?.previous) {
      logs.requests.push(options);
      throw notFound;
    }
    return stream(options);
  };
  const { f, out } = feed(logs);
  t.after(() => f.dispose());
  await f.select({ ...app, previous: true });
  assert.deepEqual(out.starts, [{ ...app, previous: true }, app]);
  assert.deepEqual(f.selection, app);
  const [state, text] = out.states.at(-1) ?? [];
  assert.equal(state, 'streaming');
  assert.match(text ?? '', /^No previous run's log of app \(previous terminated container "app" in pod "cart-1" not found\); showing the current run\. Following app\.$/);
  assert.equal(logs.requests.length, 2);
});

test('a log that is not there yet says so without a misleading remedy', async (t) => {
  const logs = new FakeLogs();
  logs.refuse = new ExplainedError({ reason: 'Invalid', status: 400, what: 'Stream logs', why: 'container "app" in pod "cart-1" is waiting to start: ContainerCreating', remedy: 'Fix the fields named above and try again' });
  const { f, out } = feed(logs);
  t.after(() => f.dispose());
  await f.select(app);
  const [state, text] = out.states.at(-1) ?? [];
  assert.equal(state, 'failed');
  assert.equal(text, 'The log is not available: container "app" in pod "cart-1" is waiting to start: ContainerCreating. Reconnect to try again.');
  assert.equal(logs.requests.length, 1, 'a current log is not retried by itself');
});

test('a flood of 50,000 lines reaches the webview in a few capped batches', async (t) => {
  const logs = new FakeLogs();
  const { f, out } = feed(logs, 5000);
  t.after(() => f.dispose());
  await f.select(app);
  const res = logs.responses[0];
  for (let chunk = 0; chunk < 500; chunk++) {
    res.write(Array.from({ length: 100 }, (_, i) => `line ${chunk * 100 + i}`).join('\n') + '\n');
  }
  await tick(80);
  assert.ok(out.batches <= 3, `${out.batches} posts`);
  assert.equal(out.lines.length + out.dropped, 50_000);
  assert.ok(out.lines.length <= 5000 * out.batches);
  assert.equal(out.lines.at(-1), 'line 49999');
});

test('a container that has not started: no stream, the reason instead, kept current while the pod changes', async (t) => {
  const logs = new FakeLogs();
  let why = 'Container app has not started: the pod is Pending, no node can take it (4 Insufficient nvidia.com/gpu)';
  const out = { states: [] as Array<[LogState, string]> };
  const f = new PodLogFeed(ref, async () => logs, { start: () => undefined, lines: () => undefined, status: (state, text) => out.states.push([state, text]) }, { intervalMs: 20, notStarted: () => why });
  t.after(() => f.dispose());
  await f.select(app);
  assert.equal(logs.requests.length, 0, 'nothing to stream yet');
  assert.deepEqual(out.states, [['ended', `${why}. Its log follows once it runs.`]]);
  assert.doesNotMatch(out.states[0][1], /stopped/);
  f.refreshWaiting();
  assert.equal(out.states.length, 1, 'the same reason is not said again');
  why = 'Container app has not started: ImagePullBackOff — Back-off pulling image "x"';
  f.refreshWaiting();
  assert.deepEqual(out.states.at(-1), ['ended', `${why}. Its log follows once it runs.`]);
});

test('a stream that ends because the container has not started says why', async (t) => {
  const logs = new FakeLogs();
  const seen: { why?: string } = {};
  const out = { states: [] as Array<[LogState, string]> };
  const f = new PodLogFeed(ref, async () => logs, { start: () => undefined, lines: () => undefined, status: (state, text) => out.states.push([state, text]) }, { intervalMs: 20, notStarted: () => seen.why });
  t.after(() => f.dispose());
  await f.select(app);
  // An unscheduled pod's log: the API server answers 200 with nothing and ends (no node to ask).
  seen.why = 'Container app has not started: the pod is Pending, waiting for the scheduler to place it';
  logs.responses[0].end();
  await tick(50);
  assert.deepEqual(out.states.at(-1), ['ended', `${seen.why}. Its log follows once it runs.`]);
});

test("the kubelet's 400 for a container waiting to start is no failure: the reason is said, as the pod was seen", async (t) => {
  const logs = new FakeLogs();
  logs.refuse = new ExplainedError({ reason: 'Invalid', what: 'Stream logs', why: 'container "app" in pod "cart-1" is waiting to start: ContainerCreating', remedy: 'x', status: 400 });
  // Not known to be waiting when the stream is asked for (the pod was not seen yet); known when the answer comes.
  const answers = [undefined, 'Container app has not started: ContainerCreating'];
  const out = { states: [] as Array<[LogState, string]> };
  const f = new PodLogFeed(ref, async () => logs, { start: () => undefined, lines: () => undefined, status: (state, text) => out.states.push([state, text]) }, { intervalMs: 20, notStarted: () => answers.shift() });
  t.after(() => f.dispose());
  await f.select(app);
  assert.equal(logs.requests.length, 1);
  assert.deepEqual(out.states.at(-1), ['ended', 'Container app has not started: ContainerCreating. Its log follows once it runs.']);
});
