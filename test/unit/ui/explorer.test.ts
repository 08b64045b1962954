import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toDisposable, type Disposable } from '../../../src/lifecycle';
import { ExplainedError } from '../../../src/kube/errors';
import type { Clock } from '../../../src/kube/clock';
import { silentLogger } from '../../../src/kube/logger';
import type { LoadedKubeconfig } from '../../../src/kube/config';
import type { InformerEvent, KubeObject, WatchKey } from '../../../src/kube/types';
import { ClusterExplorer, type ClusterAccess, type ExplorerChange } from '../../../src/ui/session/explorer';
import { ManualClock } from '../kube/manual-clock';

class FakeAccess implements ClusterAccess {
  readonly watches = new Map<string, (e: InformerEvent<KubeObject>) => void>();
  disposed = false;
  readonly hub = {
    observe: <T extends KubeObject>(key: WatchKey, l: (e: InformerEvent<T>) => void): Disposable => {
      const id = `${key.context}/${key.kind}@${key.namespace}`;
      this.watches.set(id, l as (e: InformerEvent<KubeObject>) => void);
      return toDisposable(() => this.watches.delete(id));
    },
  };
  constructor(readonly config: LoadedKubeconfig) {}
  client(): never {
    throw new Error('no client in this test');
  }
  dispose(): void {
    this.disposed = true;
  }
}

const config = {
  files: ['~/.kube/config'],
  currentContext: 'prod',
  contexts: [
    { name: 'dev', cluster: 'dev', user: 'me', server: 'https://dev:6443', namespace: 'team' },
    { name: 'prod', cluster: 'prod', user: 'me', server: 'https://prod:6443' },
  ],
} as unknown as LoadedKubeconfig;

function setup(open: () => Promise<ClusterAccess>, clock?: Clock) {
  const values = new Map<string, unknown>();
  const changes: ExplorerChange[] = [];
  let opened = 0;
  const explorer = new ClusterExplorer({
    clock,
    logger: silentLogger,
    choices: { get: <T>(k: string) => values.get(k) as T | undefined, update: async (k: string, v: unknown) => void values.set(k, v) },
    lookup: () => ({ env: {}, origin: 'default' }),
    openAccess: () => {
      opened++;
      return open();
    },
  });
  explorer.onDidChange((c) => changes.push(c));
  return { explorer, values, changes, opened: () => opened };
}

test('nothing loads until asked; then the kubeconfig current context is selected', async () => {
  const access = new FakeAccess(config);
  const { explorer, opened } = setup(async () => access);
  assert.equal(opened(), 0);
  assert.equal(explorer.state.phase, 'unloaded');
  await Promise.all([explorer.load(), explorer.load()]);
  assert.equal(opened(), 1, 'one load for concurrent callers');
  assert.equal(explorer.state.phase, 'loaded');
  assert.equal(explorer.selectedContext, 'prod');
  explorer.dispose();
  assert.ok(access.disposed);
});

test('the selected context and namespace filter are remembered per workspace', async () => {
  const first = setup(async () => new FakeAccess(config));
  await first.explorer.selectContext('dev');
  assert.equal(first.explorer.session?.defaultNamespace, 'team');
  await first.explorer.setNamespaceFilter(['team', 'shared']);
  first.explorer.dispose();

  const again = setup(async () => new FakeAccess(config));
  for (const [k, v] of first.values) again.values.set(k, v);
  await again.explorer.load();
  assert.equal(again.explorer.selectedContext, 'dev');
  assert.deepEqual(again.explorer.session?.namespaceFilter, ['team', 'shared']);
  await again.explorer.selectContext('prod');
  assert.equal(again.explorer.session?.namespaceFilter, undefined, 'filters are per context');
  again.explorer.dispose();
});

test('switching context stops the old watches', async () => {
  const access = new FakeAccess(config);
  const { explorer } = setup(async () => access);
  await explorer.load();
  explorer.session?.setExpanded('web', true);
  assert.ok([...access.watches.keys()].some((k) => k.startsWith('prod/Pod@web')));
  await explorer.selectContext('dev');
  assert.ok(![...access.watches.keys()].some((k) => k.startsWith('prod/')), 'no watch of the old context survives');
  await assert.rejects(explorer.selectContext('nope'), (e: ExplainedError) => e.reason === 'UnknownContext');
  explorer.dispose();
  assert.equal(access.watches.size, 0);
});

test('a missing kubeconfig is a state, not a crash, and reload tries again', async () => {
  let attempt = 0;
  const { explorer, changes } = setup(async () => {
    if (attempt++ === 0) throw new ExplainedError({ reason: 'NoKubeconfig', what: 'Read the kubeconfig', why: 'no file', remedy: 'get one' });
    return new FakeAccess(config);
  });
  await explorer.load();
  assert.equal(explorer.state.phase, 'missing');
  await assert.rejects(explorer.kube(), (e: ExplainedError) => e.reason === 'NoKubeconfig');
  await explorer.reload();
  assert.equal(explorer.state.phase, 'loaded');
  assert.ok(changes.some((c) => c.scope === 'all'));
  explorer.dispose();
});

test('bursts of watch events reach the view coalesced and targeted', async () => {
  const access = new FakeAccess(config);
  const clock = new ManualClock();
  const { explorer, changes } = setup(async () => access, clock);
  await explorer.load();
  explorer.session?.setExpanded('web', true);
  await explorer.whenIdle(50).catch(() => undefined);
  clock.advance(1000);
  changes.length = 0;
  const emit = access.watches.get('prod/Pod@web')!;
  for (let i = 0; i < 500; i++) emit({ type: 'added', object: { metadata: { name: `p${i}`, namespace: 'web', uid: `${i}`, resourceVersion: '1' } } });
  assert.equal(changes.length, 1, 'the first event refreshes at once');
  clock.advance(99);
  assert.equal(changes.length, 1, 'the rest wait for the end of the interval');
  clock.advance(1);
  assert.equal(changes.length, 2, `one more refresh for the other 499 events, not ${changes.length - 1}`);
  assert.ok(changes.every((c) => c.scope === 'namespace' && c.namespace === 'web'));
  assert.equal(explorer.session?.namespaceObjects('web').objects.pods.size, 500);
  explorer.dispose();
});

test('disposing while the kubeconfig loads leaves nothing running', async () => {
  const access = new FakeAccess(config);
  let release: (a: ClusterAccess) => void = () => undefined;
  const { explorer } = setup(() => new Promise<ClusterAccess>((r) => (release = r)));
  const loading = explorer.load();
  explorer.dispose();
  release(access);
  await loading;
  assert.ok(access.disposed);
  assert.equal(explorer.session, undefined);
  assert.equal(access.watches.size, 0);
});

test('another context is watched only while its row is expanded', async () => {
  const access = new FakeAccess(config);
  const { explorer } = setup(async () => access);
  await explorer.load();
  assert.equal(explorer.sessionFor('dev'), undefined, 'not watched until expanded');
  const peek = explorer.peek('dev');
  assert.ok(peek);
  assert.equal(explorer.peek('dev'), peek, 'one peek per context');
  peek.visibleNamespaces();
  assert.ok(access.watches.has('dev/Namespace@'));
  assert.equal(explorer.selectedContext, 'prod', 'peeking does not select');
  explorer.unpeek('dev');
  assert.ok(!access.watches.has('dev/Namespace@'));

  explorer.peek('dev')?.visibleNamespaces();
  await explorer.selectContext('dev');
  assert.equal(explorer.sessionFor('dev'), explorer.session, 'selecting replaces the peek');
  assert.equal(explorer.peek('nope'), undefined);
  explorer.dispose();
  assert.equal(access.watches.size, 0);
});

test('expanding or collapsing a namespace says which namespaces are watched now (the status bar lists them)', async () => {
  const access = new FakeAccess(config);
  const { explorer, changes } = setup(async () => access);
  await explorer.load();
  await new Promise((r) => setTimeout(r, 150));
  changes.length = 0;
  explorer.session?.setExpanded('web', true);
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(changes, [{ scope: 'watching', context: 'prod' }]);
  assert.deepEqual(explorer.session?.watchedNamespaces(), ['web']);
  changes.length = 0;
  explorer.session?.setExpanded('web', true);
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(changes, [], 'nothing changed, nothing said');
  explorer.session?.setExpanded('web', false);
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(changes, [{ scope: 'watching', context: 'prod' }]);
  assert.deepEqual(explorer.session?.watchedNamespaces(), []);
  explorer.dispose();
});
