// `tether sandbox up|status|list|down` end to end against the cluster under test: a sandbox from the
// command line alone (no tether.yaml), its --json shapes, the holder released, refusal while
// another front door runs it, and nothing left after `down`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { sandboxSelector } from '../../../src/sandbox/labels';
import { microTime } from '../../../src/sandbox/lifecycle/lease';
import { withServiceAccount } from '../../cluster/serviceAccount';
import { developerRulesWithout } from '../../cluster/testRoles';
import { cliCluster } from './cliCluster';

interface LeaseView extends KubeObject {
  spec: { holderIdentity?: string; renewTime?: string };
}

test('sandbox up with an image fork and no tether.yaml, then status, list and down: JSON shapes, released holder, nothing left', async (t) => {
  const c = await cliCluster(t, 'cli-sandbox');
  const name = `pr-${c.cluster.run}`;
  const up = await c.tether(['sandbox', 'up', '--name', name, '--baseline', c.shop, '--fork', `api=image:${c.forkImage}`, '--fork', 'api=env:LOG_LEVEL=debug', '--preview', 'api:80/products', '--ttl', '30m', '--json']);
  assert.equal(up.code, 0, up.err);
  const result = JSON.parse(up.out);
  assert.equal(result.sandbox, name);
  assert.equal(result.namespace, name, 'a namespace of its own');
  assert.equal(result.context, c.cluster.context);
  assert.equal(result.ttlSeconds, 1800);
  assert.ok(Date.parse(result.expiresAt) > Date.now());
  assert.equal(result.inClusterUrl, `http://api.${name}.svc.cluster.local:80/products`);
  assert.ok(result.pods.some((p: { role: string; ready: boolean }) => p.role === 'fork' && p.ready), up.out);
  const fork = await c.cluster.client().get<KubeObject & { spec: { template: { spec: { containers: { image: string; env?: { name: string; value: string }[] }[] } } } }>(kinds.Deployment, name, 'api');
  assert.equal(fork.spec.template.spec.containers[0].image, c.forkImage);
  assert.ok(fork.spec.template.spec.containers[0].env?.some((e) => e.name === 'LOG_LEVEL' && e.value === 'debug'));
  // Nobody keeps it running: the holder is cleared, and its agent removes it after its TTL.
  const lease = await c.cluster.client().get<LeaseView>(kinds.Lease, name, 'tether-sandbox');
  assert.equal(lease.spec.holderIdentity, undefined);
  const workloads = (await c.cluster.client().listAll<KubeObject>(kinds.Deployment, name, { labelSelector: sandboxSelector(name) })).items.map((d) => d.metadata.name);
  assert.ok(workloads.includes('tether-agent'), workloads.join(', '));

  const status = await c.tether(['sandbox', 'status', '--name', name, '--json']);
  assert.equal(status.code, 0, status.err);
  const report = JSON.parse(status.out);
  assert.equal(report.sandbox, name);
  assert.equal(report.mine, true);
  assert.equal(report.state, 'active');
  assert.equal(report.holder, undefined);
  assert.ok(report.forks.includes('api'), report.forks.join(', '));
  assert.ok(report.pods.length >= 1);
  assert.ok(report.remainingSeconds > 0 && report.remainingSeconds <= 1800);

  const list = await c.tether(['sandbox', 'list', '--json']);
  assert.equal(list.code, 0, list.err);
  const listed = JSON.parse(list.out);
  assert.equal(listed.context, c.cluster.context);
  assert.ok(listed.sandboxes.some((s: { sandbox: string; mine: boolean }) => s.sandbox === name && s.mine));
  const people = await c.tether(['sandbox', 'list']);
  assert.match(people.out, new RegExp(`Mine \\(\\d+\\):\\n(.*\\n)*  ${name}  ${name}  active`));

  // Another front door renews it now: up is refused, and says how to take it over.
  await c.cluster.client().request({ what: 'Hold the Lease elsewhere', method: 'PATCH', path: `/apis/coordination.k8s.io/v1/namespaces/${name}/leases/tether-sandbox`, contentType: 'application/merge-patch+json', body: { spec: { holderIdentity: `${c.developer}@laptop/vscode`, renewTime: microTime(new Date()) } } });
  const refused = await c.tether(['sandbox', 'up', '--name', name, '--baseline', c.shop, '--fork', `api=image:${c.forkImage}`, '--json']);
  assert.equal(refused.code, 1);
  assert.match(refused.err, /^tether: Run sandbox "pr-\w+" here failed: .+ on laptop \(VS Code\) runs it .*run this again with --take-over/m);
  assert.equal(JSON.parse(refused.out).error.step.code, 'takeOver');
  const down = await c.tether(['sandbox', 'down', '--name', name]);
  assert.equal(down.code, 1, 'down is refused too while it runs elsewhere');
  const taken = await c.tether(['sandbox', 'down', '--name', name, '--take-over', '--json']);
  assert.equal(taken.code, 0, taken.err);
  const gone = JSON.parse(taken.out);
  assert.equal(gone.sandbox, name);
  assert.ok(gone.deleted.includes(`Namespace/${name}`), gone.deleted.join(', '));
  await c.cluster.until(async () => (await c.cluster.client().get(kinds.Namespace, undefined, name).then(() => false, () => true)) || undefined, `namespace ${name} to go`, c.cluster.timeouts.podReadyMs);
  const again = await c.tether(['sandbox', 'down', '--name', name]);
  assert.equal(again.code, 0);
  assert.match(again.out, /There is no sandbox "pr-\w+": nothing to delete/);
  const status404 = await c.tether(['sandbox', 'status', '--name', name]);
  assert.equal(status404.code, 1);
  assert.match(status404.err, /has no sandbox/);
});

test('a sandbox whose fork keeps failing: up exits 1 with the pods and the next step, and releases it so another runner needs no take-over', async (t) => {
  const c = await cliCluster(t, 'cli-sandbox-failing');
  const name = `pr-${c.cluster.run}`;
  // An image no cluster can pull (the simulator's kubelet knows the name as one): ImagePullBackOff.
  const broken = ['--fork', 'api=image:registry.invalid/tether/does-not-exist:1'];
  const up = await c.tether(['sandbox', 'up', '--name', name, '--baseline', c.shop, ...broken, '--timeout', String(Math.round(c.cluster.timeouts.podReadyMs / 1000)), '--json']);
  assert.equal(up.code, 1, up.err);
  assert.match(up.err, new RegExp(`^tether: Bring up sandbox "${name}" failed: its pods keep failing \\(api-[^:]+: [^)]*BackOff`, 'm'));
  assert.equal(JSON.parse(up.out).error.step.code, 'showLogs');
  const lease = await c.cluster.client().get<LeaseView>(kinds.Lease, name, 'tether-sandbox');
  assert.equal(lease.spec.holderIdentity, undefined, 'released: a retried job on another runner, or the editor, needs no take-over');
  assert.equal((await c.tether(['sandbox', 'down', '--name', name])).code, 0);
});

test('usage mistakes exit 2 and say what is wrong', async (t) => {
  const c = await cliCluster(t, 'cli-usage');
  const empty = c.workspace();
  const cases: [string[], RegExp][] = [
    [['sandbox', 'up'], /there is no tether\.yaml here: name what to fork with --fork/],
    [['sandbox', 'up', '--fork', 'api'], /--fork "api": expected WORKLOAD=image:REF/],
    [['sandbox', 'up', '--fork', 'daemonset/x=image:a'], /not a kind a sandbox forks/],
    [['sandbox', 'up', '--fork', 'api=image:a', '--ttl', 'forever'], /--ttl "forever"/],
    [['sandbox', 'up', '--fork', 'api=image:a', '--name', 'PR_1'], /not a DNS-1123 label/],
    [['sandbox', 'frobnicate'], /unknown command 'frobnicate'/],
    [['preview', '--bogus'], /unknown option '--bogus'/],
  ];
  for (const [args, why] of cases) {
    const r = await c.tether(args, empty);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, why, args.join(' '));
  }
  const local = await c.tether(['sandbox', 'up'], c.workspace({ 'tether.yaml': `name: shop\nbaseline: { namespace: ${c.shop} }\nforks:\n  - workload: { name: api }\n    mode: local\n` }));
  assert.equal(local.code, 2);
  assert.match(local.err, /api is a local fork: those need the tunnel `tether preview` keeps running/);
  const broken = await c.tether(['sandbox', 'up', '--json'], c.workspace({ 'tether.yaml': 'name: Shop\nbaseline: {}\nforks: []\n' }));
  assert.equal(broken.code, 2);
  assert.match(broken.err, /Read tether\.yaml failed: it has \d+ errors .*\. Fix tether\.yaml; nothing was created/);
  assert.equal(JSON.parse(broken.out).error.step.code, 'fixSpec');
});

test('an unreachable cluster or a forbidden one exits 3 with the explained error', async (t) => {
  const c = await cliCluster(t, 'cli-cluster-errors');
  const unreachable = c.workspace({
    config: 'apiVersion: v1\nkind: Config\nclusters: [{ name: gone, cluster: { server: "https://127.0.0.1:1" } }]\nusers: [{ name: gone, user: { token: t } }]\ncontexts: [{ name: gone, context: { cluster: gone, user: gone } }]\ncurrent-context: gone\n',
  });
  const down = await c.tether(['sandbox', 'list', '--json'], unreachable, { KUBECONFIG: `${unreachable}/config`, TETHER_CONTEXT: '' });
  assert.equal(down.code, 3, down.err);
  assert.match(down.err, /^tether: .+ failed: the cluster at https:\/\/127\.0\.0\.1:1 did not answer \(ECONNREFUSED\)\. Check that you are on the right network or VPN/);
  assert.equal(JSON.parse(down.out).exitCode, 3);
  const nokube = await c.tether(['sandbox', 'list'], unreachable, { KUBECONFIG: `${unreachable}/nope` });
  assert.equal(nokube.code, 3);
  assert.match(nokube.err, /none of the files in KUBECONFIG exist/);
  // A developer who may do everything a sandbox needs but create Deployments (and, holding nothing cluster-wide, namespaces).
  const ro = await withServiceAccount(c.cluster, c.shop, developerRulesWithout('apps', 'deployments', 'create'));
  const forbidden = await c.tether(['sandbox', 'up', '--name', `ro-${c.cluster.run}`, '--baseline', c.shop, '--fork', `api=image:${c.forkImage}`], c.workspace(), { KUBECONFIG: ro.kubeconfigPath, TETHER_CONTEXT: ro.context });
  assert.equal(forbidden.code, 3, forbidden.err);
  assert.match(forbidden.err, /^tether: Create sandbox "ro-\w+" failed: you may not create deployments/m);
  assert.match(forbidden.err, /kind: Role/);
});
