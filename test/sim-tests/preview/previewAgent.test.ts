// Preview connections ride the editor's one connection to the sandbox's agent: many browser
// connections, one port-forward; the agent pod replaced in the middle of page loads makes
// connections wait for the reconnect or fail with the reason, never hang; and an agent whose pod
// cannot start leaves a sandbox without local forks previewing through port-forwards of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kinds } from '../../../src/kube/kinds';
import type { Logger } from '../../../src/kube/logger';
import type { KubeObject } from '../../../src/kube/types';
import { sandboxSelector } from '../../../src/sandbox/labels';
import type { SandboxSpec } from '../../../src/sandbox/spec';
import { faultProxyFor } from '../../cluster/faultProxy';
import { until } from '../../cluster/waiting';
import { developerRules, developerRulesWithout } from '../../cluster/testRoles';
import { greetingWorkload } from './previewBaseline';
import { fetchText, previewCluster, type PreviewCluster } from './previewCluster';

const suite = 'preview-agent';

interface Outcome {
  ok: boolean;
  text: string;
  ms: number;
  /** The listener's explanation when the connection failed. */
}

/** An env fork of the greeting workload: its preview is answered inside the cluster. */
async function helloSpec(c: PreviewCluster): Promise<SandboxSpec> {
  for (const object of greetingWorkload(c.shop, c.cluster.images.relay)) await c.cluster.apply(object);
  await c.cluster.waitForPodReady('app=hello');
  return {
    name: 'hello',
    baseline: { namespace: c.shop },
    ttlSeconds: 7200,
    forks: [{ workload: { kind: 'Deployment', name: 'hello' }, mode: 'env', env: { GREETING: 'the sandbox' }, ports: [] }],
    preview: { service: 'hello', port: 80, path: '/hi' },
    checks: [],
  };
}

for (const kind of ['local fork', 'env fork'] as const) {
  test(`${kind}: browser connections, twelve at once and twelve one after another, ride the one port-forward to the agent`, async (t) => {
    const c = await previewCluster(t, suite);
    // The developer reaches the API server through a proxy that counts connections: a port-forward
    // per browser connection would be a new one each.
    const proxy = await faultProxyFor(c.cluster);
    const developer = await c.developerWith(developerRules, { via: proxy });
    const spec = kind === 'local fork' ? c.localSpec() : await helloSpec(c);
    const expected = kind === 'local fork' ? 'local v1 /products' : 'hello from the sandbox /hi';
    const result = await c.loop.ensure(c.request(spec, { context: developer.context }));
    const opened = proxy.connectionsOpened;
    const simulated = c.cluster.kind === 'simulator' ? c.cluster.podRuntime() : undefined;
    const before = simulated?.portForwardStats;
    if (before) assert.equal(before.open, 1, 'the editor holds one port-forward: to the agent');
    const parallel = await Promise.all(Array.from({ length: 12 }, () => fetchText(result.url)));
    for (const answer of parallel) assert.deepEqual(answer, { status: 200, body: expected });
    for (let i = 0; i < 12; i++) assert.deepEqual(await fetchText(result.url), { status: 200, body: expected });
    assert.equal(proxy.connectionsOpened, opened, 'no new connection to the API server: no port-forward per browser connection');
    if (simulated && before) {
      // The simulated API server counts the port-forward sessions it served, too.
      assert.equal(simulated.portForwardStats.sessions, before.sessions, 'no port-forward per connection');
      assert.equal(simulated.portForwardStats.open, 1);
    }
  });
}

test('the agent pod replaced in the middle of page loads: connections succeed after the reconnect or fail with the reason, none hangs past its deadline', async (t) => {
  const waitMs = 3_000;
  const c = await previewCluster(t, suite, {}, { previewWaitMs: waitMs });
  const spec = await helloSpec(c);
  const result = await c.loop.ensure(c.request(spec));
  const listener = c.loop.get(c.context, result.sandbox)?.listener;
  assert.ok(listener);
  // Every failed connection is explained as it fails (a connection that succeeds clears lastProblem).
  const problems: string[] = [];
  const watching = listener.onProblem((p) => problems.push(p.message));
  t.after(() => watching.dispose());
  // The deadline of one connection: the wait for a reconnect, then one dial inside the cluster and an answer.
  const deadlineMs = waitMs + 10_000;
  const load = async (): Promise<Outcome> => {
    const started = Date.now();
    const within = new Promise<Outcome>((resolve) => setTimeout(() => resolve({ ok: false, text: 'hung', ms: Date.now() - started }), deadlineMs + 5_000).unref());
    const answered = fetchText(result.url).then(
      (a) => ({ ok: a.status === 200, text: a.body, ms: Date.now() - started }),
      (err: Error) => ({ ok: false, text: err.message, ms: Date.now() - started }),
    );
    return Promise.race([answered, within]);
  };
  const page = () => Promise.all(Array.from({ length: 6 }, load));

  assert.ok((await page()).every((o) => o.ok), 'pages load before');
  const selector = `${sandboxSelector(result.sandbox)},tether.dev/agent`;
  const [old] = (await c.client.list<KubeObject>(kinds.Pod, result.namespace, { labelSelector: selector })).items;
  const outcomes: Outcome[] = [];
  const loading = (async () => {
    // Pages keep loading while the pod goes and its replacement comes up.
    const until = Date.now() + c.cluster.timeouts.podReadyMs;
    let sinceBack = 0;
    while (Date.now() < until && sinceBack < 3) {
      const loaded = await page();
      outcomes.push(...loaded);
      const replaced = !(await c.client.list<KubeObject>(kinds.Pod, result.namespace, { labelSelector: selector })).items.some((p) => p.metadata.uid === old.metadata.uid);
      sinceBack = replaced && loaded.every((o) => o.ok) ? sinceBack + 1 : 0;
    }
  })();
  await new Promise((r) => setTimeout(r, 200));
  await c.client.delete(kinds.Pod, result.namespace, old.metadata.name);
  await loading;

  assert.ok(outcomes.length > 0);
  for (const o of outcomes) {
    assert.notEqual(o.text, 'hung', 'no connection hangs past its deadline');
    assert.ok(o.ms <= deadlineMs, `a connection took ${o.ms} ms, past its deadline of ${deadlineMs} ms`);
    if (o.ok) assert.equal(o.text, 'hello from the sandbox /hi');
  }
  const failed = outcomes.filter((o) => !o.ok);
  // The explanation of a connection cut mid-answer may follow the client's failure by a moment.
  await until(() => problems.length > 0 || failed.length === 0, 'the failures explained', 5_000);
  for (const problem of problems) assert.match(problem, /agent|pod|relay/, `a failed connection is explained: ${problem}`);
  if (problems.length > 0) assert.ok(c.loop.get(c.context, result.sandbox)?.recentProblems.some((p) => p.startsWith('A preview connection failed: ')), 'the sandbox keeps them among its recent problems');
  assert.ok(outcomes.slice(-6).every((o) => o.ok), 'pages load again after the reconnect');
});

test('an agent whose pod cannot start: a sandbox without local forks previews through a port-forward per connection, and the log says so', async (t) => {
  const lines: string[] = [];
  const logger: Logger = { trace: () => undefined, debug: () => undefined, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(String(m)) };
  const c = await previewCluster(t, suite, {}, { logger });
  const spec = await helloSpec(c);
  // An image no node can pull: the agent's pod waits in ImagePullBackOff.
  const result = await c.loop.ensure(c.request(spec, { relayImage: 'registry.invalid/tether/does-not-exist:1' }));
  assert.equal(result.status, 200);
  assert.deepEqual(await fetchText(result.url), { status: 200, body: 'hello from the sandbox /hi' });
  assert.ok(lines.some((l) => /The sandbox's agent cannot run \(.*(ErrImagePull|ImagePullBackOff).*\); until it does, each preview connection to Service "hello" opens a port-forward of its own/.test(l)), lines.join('\n'));
  assert.ok(result.pods.some((p) => p.role === 'agent' && !p.ready), JSON.stringify(result.pods));
});

test('no permission to create the agent\'s Role: a sandbox without local forks is made without its agent, says so, and previews through port-forwards; a local fork is refused with the Role to ask for', async (t) => {
  const lines: string[] = [];
  const logger: Logger = { trace: () => undefined, debug: () => undefined, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(String(m)) };
  const c = await previewCluster(t, suite, {}, { logger });
  // The documented developer Role without creating Roles, in the baseline's namespace.
  const jane = (await c.developerWith(developerRulesWithout('rbac.authorization.k8s.io', 'roles', 'create'))).context;
  const spec = await helloSpec(c);
  const result = await c.loop.ensure(c.request(spec, { context: jane }));
  assert.deepEqual(await fetchText(result.url), { status: 200, body: 'hello from the sandbox /hi' });
  assert.ok(result.notes.some((n) => /runs no agent, because you may not create its objects \(create roles.*removed only when it is deleted.*port-forward of its own/.test(n)), result.notes.join(' | '));
  assert.ok(!result.pods.some((p) => p.role === 'agent'), JSON.stringify(result.pods));
  assert.ok(lines.some((l) => /no agent runs in the sandbox, so each preview connection opens a port-forward of its own/.test(l)), lines.join('\n'));

  const local = await c.loop.ensure(c.request(c.localSpec(), { context: jane, branch: 'local' })).then(
    () => undefined,
    (err: Error) => err,
  );
  assert.match(String(local), /you may not create roles/);
});
