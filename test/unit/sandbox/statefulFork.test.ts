import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DesiredObject } from '../../../src/sandbox/desired';
import { isTetherOwned } from '../../../src/sandbox/labels';
import { planSandbox, type PlanInput } from '../../../src/sandbox/plan';
import { relayAccessObjects } from '../../../src/sandbox/rbac';
import { parseSpec } from '../../../src/sandbox/spec';
import { agent, assertGolden, baselineOf, specOf } from './planGolden';

const baseline = baselineOf('stateful-baseline.yaml');
const renewTime = new Date('2026-11-22T03:00:00.000Z');

type StatefulSet = DesiredObject & {
  spec: {
    replicas: number;
    serviceName: string;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: { containers: { image: string; env?: { name: string; value?: string }[] }[] } };
    volumeClaimTemplates?: { metadata: { name: string; labels: Record<string, string> }; spec: Record<string, unknown> }[];
    persistentVolumeClaimRetentionPolicy: { whenDeleted: string; whenScaled: string };
  };
};
type Service = DesiredObject & { spec: { type: string; clusterIP?: string; selector: Record<string, string>; ports?: { port: number }[] } };

function plan(spec: string, input: Partial<PlanInput> & Pick<PlanInput, 'placement'>) {
  return planSandbox({ spec: specOf(spec), baseline, renewTime, holderIdentity: 'jane@laptop', developer: 'jane', branch: 'main', ...input });
}

const find = <T extends DesiredObject>(objects: DesiredObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) as T;


test('own namespace: a StatefulSet fork has one replica, a headless governing Service, fresh claims deleted with it', () => {
  const result = plan('stateful.tether.yaml', { placement: { mode: 'namespace' } });
  assertGolden('stateful.namespace', result);
  const db = find<StatefulSet>(result.objects, 'StatefulSet', 'db');
  assert.equal(db.spec.replicas, 1);
  assert.equal(db.spec.template.spec.containers[0].image, 'postgres:17');
  assert.equal(db.spec.serviceName, 'db', 'the copy of the headless baseline Service governs the fork');
  assert.equal(find<Service>(result.objects, 'Service', 'db').spec.clusterIP, 'None');
  for (const [k, v] of Object.entries(db.spec.selector.matchLabels)) assert.equal(db.spec.template.metadata.labels[k], v);
  const claim = db.spec.volumeClaimTemplates?.[0];
  assert.equal(claim?.metadata.name, 'data');
  assert.ok(claim && isTetherOwned(claim as unknown as DesiredObject), 'the claims the controller creates carry the ownership labels');
  assert.equal(claim?.spec.volumeName, undefined, 'never pinned to the baseline\'s volume');
  assert.equal(claim?.spec.selector, undefined);
  assert.deepEqual(db.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Delete', whenScaled: 'Delete' });
  // The baseline handed in is untouched.
  assert.equal((baseline[0].spec as { replicas: number }).replicas, 3);
});

test('a StatefulSet whose governing Service is missing or not headless gets a headless one of its own', () => {
  const result = plan('stateful.tether.yaml', { placement: { mode: 'namespace' } });
  const cache = find<StatefulSet>(result.objects, 'StatefulSet', 'cache');
  assert.equal(cache.spec.serviceName, 'cache-peers');
  const governing = find<Service>(result.objects, 'Service', 'cache-peers');
  assert.equal(governing.spec.clusterIP, 'None');
  for (const [k, v] of Object.entries(governing.spec.selector)) assert.equal(cache.spec.template.metadata.labels[k], v);
  assert.equal(find<Service>(result.objects, 'Service', 'cache').spec.clusterIP, undefined, 'the ClusterIP copy stays a ClusterIP Service');
  assert.deepEqual(cache.spec.template.spec.containers[0].env, [{ name: 'MAXMEMORY', value: '64mb' }]);
  assert.ok(!result.objects.some((o) => o.kind === 'Service' && o.metadata.name === 'cache-peers' && (o.spec as { type: string }).type === 'ExternalName'), 'no alias under the governing Service\'s name');
  // The api Deployment is not forked: it stays reachable under its name through an alias.
  assert.equal(find<Service>(result.objects, 'Service', 'api').spec.type, 'ExternalName');
});

test('a governing Service whose copy is not headless: the headless one is named beside it', () => {
  const pointing = baseline.map((o) => (o.metadata.name === 'cache' && o.kind === 'StatefulSet' ? { ...o, spec: { ...(o.spec as object), serviceName: 'cache' } } : o));
  const result = planSandbox({ spec: specOf('stateful.tether.yaml'), baseline: pointing, renewTime, holderIdentity: 'x', developer: 'jane', branch: 'main', placement: { mode: 'namespace' } });
  assert.equal(find<StatefulSet>(result.objects, 'StatefulSet', 'cache').spec.serviceName, 'cache-headless');
  assert.equal(find<Service>(result.objects, 'Service', 'cache-headless').spec.clusterIP, 'None');
});

test('shared namespace: prefixed StatefulSet, so its claims (<template>-<set>-<ordinal>) never meet the baseline\'s', () => {
  const result = plan('stateful.tether.yaml', { placement: { mode: 'shared', namespace: 'shop' } });
  assertGolden('stateful.shared', result);
  const db = find<StatefulSet>(result.objects, 'StatefulSet', 'jane-main-db');
  assert.equal(db.spec.serviceName, 'jane-main-db');
  assert.equal(db.spec.template.metadata.labels.app, undefined, 'baseline Services never select the fork\'s pods');
  assert.ok(result.objects.every((o) => o.metadata.name.startsWith('jane-main-')));
});

test('local mode: the StatefulSet\'s Services route to the sandbox\'s agent and no copy of the StatefulSet runs', () => {
  const result = plan('stateful-local.tether.yaml', { placement: { mode: 'namespace' }, agent });
  assertGolden('stateful-local.namespace', result);
  assert.ok(!result.objects.some((o) => o.kind === 'StatefulSet'));
  const svc = find<Service>(result.objects, 'Service', 'db');
  assert.equal(svc.spec.clusterIP, 'None');
  const agentPods = (find<DesiredObject & { spec: { template: { metadata: { labels: Record<string, string> } } } }>(result.objects, 'Deployment', 'tether-agent')).spec.template.metadata.labels;
  for (const [k, v] of Object.entries(svc.spec.selector)) assert.equal(agentPods[k], v);
});

test('an unknown StatefulSet is an explained error listing the StatefulSets there are', () => {
  const spec = specOf('stateful.tether.yaml');
  const missing = { ...spec, forks: [{ ...spec.forks[0], workload: { kind: 'StatefulSet' as const, name: 'queue' } }] };
  assert.throws(() => planSandbox({ spec: missing, baseline, renewTime, holderIdentity: 'x', developer: 'j', branch: 'b', placement: { mode: 'namespace' } }), /no StatefulSet of that name \(it has: cache, db\)/);
});

test('the agent\'s self-cleanup may list StatefulSets and delete only the planned one', () => {
  const result = plan('stateful.tether.yaml', { placement: { mode: 'namespace' } });
  const [, role] = relayAccessObjects({ name: 'tether-agent', namespace: result.namespace, labels: {}, leaseName: 'l', objects: result.objects, ownsNamespace: true }) as [DesiredObject, DesiredObject & { rules: { resources: string[]; resourceNames?: string[]; verbs: string[] }[] }];
  assert.ok(role.rules.some((r) => r.verbs.includes('list') && r.resources.includes('statefulsets')));
  assert.deepEqual(role.rules.find((r) => r.verbs.includes('delete') && r.resources[0] === 'statefulsets')?.resourceNames, ['cache', 'db']);
});

test('tether.yaml: StatefulSet is a forkable kind; DaemonSets, Jobs and others are refused with the reason', () => {
  const text = (kind: string) => `name: shop\nbaseline: { namespace: shop }\nforks:\n  - workload: { kind: ${kind}, name: x }\n    mode: local\n`;
  assert.equal(parseSpec(text('StatefulSet')).spec?.forks[0].workload.kind, 'StatefulSet');
  const daemon = parseSpec(text('DaemonSet'));
  assert.equal(daemon.spec, undefined);
  assert.match(daemon.diagnostics[0].message, /^DaemonSet cannot be forked: a DaemonSet runs one pod per node.*Forkable kinds: Deployment, StatefulSet$/);
  assert.match(parseSpec(text('Job')).diagnostics[0].message, /Job cannot be forked: a Job runs to completion/);
  assert.match(parseSpec(text('Widget')).diagnostics[0].message, /workload.kind must be one of: Deployment, StatefulSet/);
});
