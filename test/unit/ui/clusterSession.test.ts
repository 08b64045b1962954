import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toDisposable, type Disposable } from '../../../src/lifecycle';
import { ExplainedError } from '../../../src/kube/errors';
import type { InformerEvent, KubeObject, WatchKey } from '../../../src/kube/types';
import { ClusterSession, type SessionChange } from '../../../src/ui/session/clusterSession';
import type { WatchSource } from '../../../src/ui/session/watchedKind';

/** A recording hub: which watches are open, and a way to push events into them. */
class FakeHub implements WatchSource {
  readonly open = new Map<string, (e: InformerEvent<KubeObject>) => void>();

  observe<T extends KubeObject>(key: WatchKey, listener: (e: InformerEvent<T>) => void): Disposable {
    const id = `${key.kind}@${key.namespace}`;
    assert.ok(!this.open.has(id), `${id} observed twice`);
    this.open.set(id, listener as (e: InformerEvent<KubeObject>) => void);
    return toDisposable(() => this.open.delete(id));
  }

  emit(id: string, e: InformerEvent<KubeObject>): void {
    const l = this.open.get(id);
    assert.ok(l, `${id} is not watched`);
    l(e);
  }

  keys(): string[] {
    return [...this.open.keys()].sort();
  }
}

const ns = (name: string): KubeObject => ({ metadata: { name, uid: name, resourceVersion: '1' } });
const pod = (name: string, namespace: string): KubeObject => ({ metadata: { name, namespace, uid: name, resourceVersion: '1' } });
const workloadWatches = (n: string) => ['CronJob', 'DaemonSet', 'Deployment', 'Job', 'Pod', 'ReplicaSet', 'StatefulSet'].map((k) => `${k}@${n}`);

function setup(filter?: string[]) {
  const hub = new FakeHub();
  const changes: SessionChange[] = [];
  const session = new ClusterSession(hub, 'dev', 'team-a', filter, (c) => changes.push(c));
  return { hub, changes, session };
}

test('only expanded namespaces are watched, and collapsing stops them', () => {
  const { hub, session } = setup();
  assert.deepEqual(session.visibleNamespaces(), { names: [], listing: true, failure: undefined });
  assert.deepEqual(hub.keys(), ['Namespace@']);
  hub.emit('Namespace@', { type: 'synced', objects: new Map([['b', ns('b')], ['a', ns('a')]]) });
  assert.deepEqual(session.visibleNamespaces().names, ['a', 'b']);
  assert.deepEqual(hub.keys(), ['Namespace@'], 'listing namespaces watches nothing inside them');

  session.setExpanded('a', true);
  assert.deepEqual(hub.keys(), ['Namespace@', ...workloadWatches('a')].sort());
  session.setExpanded('a', false);
  assert.deepEqual(hub.keys(), ['Namespace@']);
  session.dispose();
  assert.deepEqual(hub.keys(), []);
});

test('filtered namespaces are watched without expansion and replace the list', () => {
  const { hub, session, changes } = setup(['shop']);
  assert.deepEqual(session.visibleNamespaces().names, ['shop']);
  assert.deepEqual(hub.keys(), ['Namespace@', ...workloadWatches('shop')].sort(), 'the list stays watched for the filter picker');
  session.setExpanded('shop', true);
  session.setExpanded('shop', false);
  assert.ok(hub.keys().includes('Pod@shop'), 'collapsing a filtered namespace keeps its watch');
  session.setFilter(['api']);
  assert.ok(!hub.keys().includes('Pod@shop'));
  assert.ok(hub.keys().includes('Pod@api'));
  assert.deepEqual(changes.at(-1), { scope: 'namespaces' });
  session.setFilter(undefined);
  assert.equal(session.namespaceFilter, undefined);
  assert.ok(!hub.keys().some((k) => k.endsWith('@api')));
  session.dispose();
});

test('events land in the cache and name the namespace that changed', () => {
  const { hub, session, changes } = setup(['shop']);
  assert.equal(session.isSettled, false);
  session.visibleNamespaces();
  for (const key of workloadWatches('shop')) hub.emit(key, { type: 'synced', objects: new Map() });
  hub.emit('Namespace@', { type: 'synced', objects: new Map() });
  assert.equal(session.isSettled, true);
  changes.length = 0;
  hub.emit('Pod@shop', { type: 'added', object: pod('web-1', 'shop') });
  hub.emit('Pod@shop', { type: 'added', object: pod('web-2', 'shop') });
  hub.emit('Pod@shop', { type: 'deleted', object: pod('web-1', 'shop') });
  assert.deepEqual([...session.namespaceObjects('shop').objects.pods.keys()], ['shop/web-2']);
  assert.deepEqual(changes, Array(3).fill({ scope: 'namespace', namespace: 'shop' }));
  session.dispose();
});

test('a failing watch is reported with the permission it needs', () => {
  const { hub, session } = setup(['shop']);
  const error = new ExplainedError({ reason: 'Forbidden', what: 'List pods in namespace shop', why: 'no', remedy: 'ask', status: 403 });
  hub.emit('Pod@shop', { type: 'state', state: { phase: 'backoff', error, retryInMs: 800, attempt: 1 } });
  const { failure } = session.namespaceObjects('shop');
  assert.equal(failure?.error, error);
  assert.deepEqual(failure?.needs, [
    { verb: 'list', resource: 'pods', namespace: 'shop' },
    { verb: 'watch', resource: 'pods', namespace: 'shop' },
  ]);
  session.dispose();
});

test('without the right to list namespaces, the context namespace is still shown', () => {
  const { hub, session } = setup();
  const error = new ExplainedError({ reason: 'Forbidden', what: 'List namespaces', why: 'no', remedy: 'ask', status: 403 });
  assert.deepEqual(session.visibleNamespaces().names, [], 'nothing to show while the first list runs');
  hub.emit('Namespace@', { type: 'state', state: { phase: 'backoff', error, retryInMs: 800, attempt: 1 } });
  const visible = session.visibleNamespaces();
  assert.deepEqual(visible.names, ['team-a']);
  assert.equal(visible.listing, false);
  assert.deepEqual(visible.failure?.needs.map((n) => `${n.verb} ${n.resource} ${n.namespace ?? '*'}`), ['list namespaces *', 'watch namespaces *']);
  session.dispose();
});

test('an unreachable cluster shows no guessed namespaces', () => {
  const { hub, session } = setup();
  session.visibleNamespaces();
  const error = new ExplainedError({ reason: 'Unreachable', what: 'List namespaces', why: 'no answer', remedy: 'VPN' });
  hub.emit('Namespace@', { type: 'state', state: { phase: 'backoff', error, retryInMs: 800, attempt: 1 } });
  assert.deepEqual(session.visibleNamespaces().names, []);
  assert.equal(session.visibleNamespaces().failure?.error, error);
  session.dispose();
});

test('collapsing the context stops expanded namespaces but keeps filtered ones', () => {
  const { hub, session } = setup(['shop']);
  session.setExpanded('web', true);
  assert.ok(hub.keys().includes('Pod@web'));
  session.collapseAll();
  assert.ok(!hub.keys().includes('Pod@web'));
  assert.ok(hub.keys().includes('Pod@shop'));
  session.dispose();
});

test('a watch retrying with the same failure does not refresh the view again', () => {
  const { hub, session, changes } = setup(['shop']);
  const error = new ExplainedError({ reason: 'Unreachable', what: 'List pods', why: 'no answer', remedy: 'VPN' });
  const backoff = { type: 'state' as const, state: { phase: 'backoff' as const, error, retryInMs: 800, attempt: 1 } };
  changes.length = 0;
  hub.emit('Pod@shop', backoff);
  assert.equal(changes.length, 1, 'the failure shows');
  hub.emit('Pod@shop', { type: 'state', state: { phase: 'listing' } });
  hub.emit('Pod@shop', { ...backoff, state: { ...backoff.state, attempt: 2, retryInMs: 1600 } });
  assert.equal(changes.length, 1, 'the same failure again changes nothing on screen');
  hub.emit('Pod@shop', { type: 'synced', objects: new Map() });
  assert.equal(changes.length, 2, 'recovery shows');
  session.dispose();
});
