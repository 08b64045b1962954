import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GpuFeed, type GpuWatchSource } from '../../../src/gpu/gpuFeed';
import { ExplainedError } from '../../../src/kube/errors';
import type { InformerEvent, KubeObject, WatchKey } from '../../../src/kube/types';
import { toDisposable } from '../../../src/lifecycle';
import { recorded } from './fixtures/recorded';

class RecordedSource implements GpuWatchSource {
  /** Listeners by "kind" (all namespaces) or "kind/namespace". */
  readonly listeners = new Map<string, (e: InformerEvent<KubeObject>) => void>();
  readonly keys: WatchKey[] = [];
  observe<T extends KubeObject>(key: WatchKey, listener: (e: InformerEvent<T>) => void) {
    this.keys.push(key);
    const id = key.namespace && key.kind !== 'Node' && !this.single ? `${key.kind}/${key.namespace}` : key.kind;
    this.listeners.set(id, listener as unknown as (e: InformerEvent<KubeObject>) => void);
    return toDisposable(() => this.listeners.delete(id));
  }
  constructor(private readonly single = true) {}
  emit(kind: string, e: InformerEvent<KubeObject>): void {
    this.listeners.get(kind)?.(e);
  }
}

const byKey = (...objects: KubeObject[]) =>
  new Map(objects.map((o) => [o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name, o]));

test('watches four kinds, applies synced/added/deleted, and stops watching on dispose', () => {
  const source = new RecordedSource();
  let changes = 0;
  const feed = new GpuFeed(source, { context: 'demo', namespace: 'samples', onChange: () => changes++ });
  assert.deepEqual(source.keys, [
    { context: 'demo', kind: 'Node', namespace: '' },
    { context: 'demo', kind: 'Pod', namespace: 'samples' },
    { context: 'demo', kind: 'ResourceQuota', namespace: 'samples' },
    { context: 'demo', kind: 'Event', namespace: 'samples' },
  ]);
  assert.deepEqual(feed.status.listing, ['Node', 'Pod', 'ResourceQuota', 'Event']);

  const node = recorded<KubeObject>('node-with-gpu-capacity');
  const fits = recorded<KubeObject>('pod-gpu-fits');
  const tooBig = recorded<KubeObject>('pod-gpu-too-big');
  source.emit('Node', { type: 'synced', objects: byKey(node) });
  source.emit('Pod', { type: 'synced', objects: byKey(fits, tooBig) });
  source.emit('Event', { type: 'synced', objects: byKey(...recorded<{ items: KubeObject[] }>('pod-pending-gpu-events').items) });
  let t = feed.table();
  assert.equal(t.nodes[0].slots[0].free, 2);
  assert.equal(t.waiting[0].name, 'gpu-too-big');
  assert.match(t.waiting[0].reason, /^needs 8 nvidia.com\/gpu; no node has more than 4 in total; scheduler: /);
  assert.deepEqual(feed.status.listing, ['ResourceQuota']);

  source.emit('Pod', { type: 'deleted', object: fits });
  t = feed.table();
  assert.equal(t.nodes[0].slots[0].free, 4);
  assert.equal(t.holders.length, 0);

  // A relist that no longer has the pending pod removes it.
  source.emit('Pod', { type: 'synced', objects: byKey(fits) });
  t = feed.table();
  assert.deepEqual([t.holders.length, t.waiting.length], [1, 0]);
  assert.ok(changes >= 5);

  feed.dispose();
  assert.equal(source.listeners.size, 0);
});

test('a failing watch is reported with its explanation, and clears when the watch recovers', () => {
  const source = new RecordedSource();
  const feed = new GpuFeed(source, { context: 'demo', onChange: () => {} });
  const error = new ExplainedError({ reason: 'ServerError', what: 'List nodes', why: 'the API server failed', remedy: 'try again', status: 500 });
  source.emit('Node', { type: 'state', state: { phase: 'backoff', error, retryInMs: 800, attempt: 1 } });
  assert.deepEqual(feed.status.failures, [{ kind: 'Node', error }]);
  assert.ok(!feed.status.listing.includes('Node'));
  source.emit('Node', { type: 'synced', objects: new Map() });
  assert.deepEqual(feed.status.failures, []);
  feed.dispose();
});

test('refused across namespaces: pods, quotas and events are watched in the readable namespaces; refused nodes leave capacity unknown', () => {
  const source = new RecordedSource(false);
  let namespaces = ['samples', 'dev'];
  const feed = new GpuFeed(source, { context: 'demo', fallbackNamespaces: () => namespaces, onChange: () => {} });
  const refused = (what: string) => new ExplainedError({ reason: 'Forbidden', what, why: `user "jane" may not ${what}`, remedy: 'ask', status: 403 });
  source.emit('Node', { type: 'state', state: { phase: 'backoff', error: refused('list nodes'), retryInMs: 800, attempt: 1 } });
  source.emit('Pod', { type: 'state', state: { phase: 'backoff', error: refused('list pods'), retryInMs: 800, attempt: 1 } });
  assert.deepEqual(feed.status.failures, [], 'refusals with a way around are no failures');
  assert.deepEqual(feed.status.limits.map((l) => [l.kind, l.namespaces]), [['Node', undefined], ['Pod', ['dev', 'samples']]]);
  assert.ok(!source.listeners.has('Node') && !source.listeners.has('Pod'), 'the refused watches are stopped');
  assert.ok(source.listeners.has('Pod/samples') && source.listeners.has('Pod/dev'));
  source.emit('Pod/samples', { type: 'synced', objects: byKey(recorded<KubeObject>('pod-gpu-fits'), recorded<KubeObject>('pod-gpu-too-big')) });
  source.emit('Pod/dev', { type: 'synced', objects: new Map() });
  assert.deepEqual([feed.table().holders.length, feed.table().waiting.length], [1, 1]);
  assert.deepEqual(feed.status.listing, ['ResourceQuota', 'Event']);
  // A relist of one namespace touches only that namespace's pods.
  source.emit('Pod/dev', { type: 'synced', objects: new Map() });
  assert.equal(feed.table().holders.length, 1);
  // The filter changes: the namespace no longer read goes, with its pods.
  namespaces = ['dev'];
  feed.refreshFallback();
  assert.ok(!source.listeners.has('Pod/samples'));
  assert.deepEqual([feed.table().holders.length, feed.table().waiting.length], [0, 0]);
  feed.dispose();
  assert.equal(source.listeners.size, 0);
});
