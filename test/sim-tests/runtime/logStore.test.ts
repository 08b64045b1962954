import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTimestamp, LineSplitter, LogStore } from '../../sim/runtime/logStore';

test('LineSplitter keeps multi-byte characters split across chunks and flushes a final partial line', () => {
  const lines: string[] = [];
  const splitter = new LineSplitter((l) => lines.push(l), 8);
  const bytes = Buffer.from('héllo\nwörld-and-more');
  splitter.push(bytes.subarray(0, 2));
  splitter.push(bytes.subarray(2, 9));
  splitter.push(bytes.subarray(9));
  splitter.flush();
  assert.deepEqual(lines, ['héllo\n', 'wörld-an', 'd-more']);
});

test('a container instance keeps a capped ring of lines; previous is the instance before the current one', () => {
  const store = new LogStore({ maxLines: 3, maxBytes: 1024 });
  const first = store.begin('ns', 'p', 'c');
  for (let i = 1; i <= 5; i++) first.append(`line ${i}\n`);
  assert.deepEqual(first.entries().map((e) => e.text), ['line 3\n', 'line 4\n', 'line 5\n']);
  assert.equal(store.previous('ns', 'p', 'c'), undefined);
  const second = store.begin('ns', 'p', 'c');
  assert.equal(first.isEnded, true);
  assert.equal(store.previous('ns', 'p', 'c'), first);
  assert.equal(store.current('ns', 'p', 'c'), second);
  store.removePod('ns', 'p');
  assert.equal(second.isEnded, true);
  assert.equal(store.current('ns', 'p', 'c'), undefined);
  store.dispose();
});

test('timestamps have nine fractional digits, like the kubelet', () => {
  assert.equal(formatTimestamp(1795312708905111133n), '2026-11-22T01:58:28.905111133Z');
  assert.equal(formatTimestamp(1795312708000000007n), '2026-11-22T01:58:28.000000007Z');
});

test('runs are found by the container ID the Pod status names; only the latest two are kept', () => {
  const store = new LogStore({ maxLines: 10, maxBytes: 1024 });
  const runs = ['containerd://a', 'containerd://b', 'containerd://c'].map((id) => store.begin('ns', 'p', 'c', id));
  assert.equal(store.run('ns', 'p', 'c', 'containerd://a'), undefined, 'the oldest run is gone, as the runtime removes it');
  assert.equal(store.run('ns', 'p', 'c', 'containerd://b'), runs[1]);
  assert.equal(store.run('ns', 'p', 'c', 'containerd://c'), runs[2]);
  store.append('ns', 'p', 'c', 'to the latest\n');
  assert.deepEqual(runs[2].entries().map((e) => e.text), ['to the latest\n']);
  store.endPod('ns', 'p');
  assert.equal(runs[2].isEnded, true);
  assert.equal(store.run('ns', 'p', 'c', 'containerd://c'), runs[2], 'ended runs stay readable until the pod goes');
  store.dispose();
});
