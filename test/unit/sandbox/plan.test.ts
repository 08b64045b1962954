import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/kube/types';
import type { DesiredObject } from '../../../src/sandbox/desired';
import { isTetherOwned, ownerLabel, sandboxLabel } from '../../../src/sandbox/labels';
import { planSandbox, type PlanInput } from '../../../src/sandbox/plan';
import type { AgentBuilder } from '../../../src/sandbox/agentRequest';
import { parseSpec } from '../../../src/sandbox/spec';
import { agent, assertGolden } from './planGolden';

const fixtures = join(__dirname, '../../fixtures/sandbox');
const baseline = parseAllDocuments(readFileSync(join(fixtures, 'baseline.yaml'), 'utf8')).map((d) => d.toJS() as KubeObject);
const renewTime = new Date('2026-11-22T03:00:00.000Z');

function specOf(file: string) {
  const parsed = parseSpec(readFileSync(join(fixtures, file), 'utf8'));
  assert.deepEqual(parsed.diagnostics, []);
  assert.ok(parsed.spec);
  return parsed.spec;
}

function golden(name: string, input: Omit<PlanInput, 'baseline' | 'renewTime' | 'holderIdentity'>) {
  const plan = planSandbox({ ...input, baseline, renewTime, holderIdentity: 'jane@laptop' });
  assertGolden(name, plan);
  return plan;
}

test('own namespace: forks copy the baseline with image and env changed, the rest are ExternalName aliases', () => {
  const plan = golden('image-env.namespace', { spec: specOf('image-env.tether.yaml'), placement: { mode: 'namespace' }, developer: 'Jane Doe', branch: 'feature/Login', agent });
  assert.equal(plan.namespace, 'jane-doe-feature-login');
  const api = plan.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'api') as DesiredObject & { spec: { template: { spec: { containers: { image: string; env: { name: string }[] }[] } } } };
  assert.equal(api.spec.template.spec.containers[0].image, 'ghcr.io/example/api:pr-42');
  assert.deepEqual(api.spec.template.spec.containers[0].env.map((e) => e.name), ['LOG_LEVEL', 'DB_URL', 'FEATURE_X']);
  const alias = plan.objects.find((o) => o.metadata.name === 'postgres') as DesiredObject & { spec: { type: string; externalName: string } };
  assert.deepEqual([alias.spec.type, alias.spec.externalName], ['ExternalName', 'postgres.shop.svc.cluster.local']);
  assert.equal(plan.objects[0].kind, 'Namespace');
  assert.equal(plan.objects[1].kind, 'Lease');
  for (const o of plan.objects) assert.ok(isTetherOwned(o), `${o.kind} ${o.metadata.name} carries the ownership labels`);
  // The baseline objects handed in were not modified.
  assert.equal((baseline[0].spec as { replicas: number }).replicas, 3);
});

test('shared namespace: prefixed names, no aliases, pods never carry baseline labels, said plainly', () => {
  const plan = golden('image-env.shared', { spec: specOf('image-env.tether.yaml'), placement: { mode: 'shared', namespace: 'shop' }, developer: 'jane', branch: 'main', agent });
  assert.ok(plan.objects.every((o) => o.metadata.name.startsWith('jane-main-')));
  assert.ok(!plan.objects.some((o) => (o as { spec?: { type?: string } }).spec?.type === 'ExternalName'));
  const web = plan.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'jane-main-web') as DesiredObject & { spec: { template: { metadata: { labels: Record<string, string> } } } };
  assert.equal(web.spec.template.metadata.labels.app, undefined);
  assert.match(plan.notes[0], /may not create namespaces/);
  assert.equal(plan.entry?.service, 'jane-main-web');
});

test('local fork: the agent\'s objects from the builder, Services selecting the agent pod, RBAC limited to the planned names', () => {
  const plan = golden('local.namespace', { spec: specOf('local.tether.yaml'), placement: { mode: 'namespace' }, developer: 'jane', branch: 'main', agent });
  const role = plan.objects.find((o) => o.kind === 'Role') as DesiredObject & { rules: { resources: string[]; resourceNames?: string[]; verbs: string[] }[] };
  const deletes = role.rules.filter((r) => r.verbs.includes('delete'));
  assert.deepEqual(deletes.find((r) => r.resources[0] === 'deployments')?.resourceNames, ['tether-agent']);
  assert.deepEqual(deletes.find((r) => r.resources[0] === 'namespaces')?.resourceNames, ['jane-main']);
  assert.ok(!deletes.some((r) => !r.resourceNames), 'every delete is limited by name');
  assert.ok(!role.rules.some((r) => r.verbs.includes('list') && r.resources.includes('secrets')), 'the agent may not read the namespace\'s Secrets');
  const svc = plan.objects.find((o) => o.kind === 'Service' && o.metadata.name === 'api') as DesiredObject & { spec: { selector: Record<string, string> } };
  const agentDeployment = plan.objects.find((o) => o.metadata.name === 'tether-agent' && o.kind === 'Deployment') as DesiredObject & { spec: { template: { metadata: { labels: Record<string, string> } } } };
  for (const [k, v] of Object.entries(svc.spec.selector)) assert.equal(agentDeployment.spec.template.metadata.labels[k], v);
  assert.deepEqual(plan.agent, { name: 'tether-agent', namespace: 'jane-main', selector: 'app.kubernetes.io/managed-by=tether,tether.dev/agent=tether-agent', dataPorts: [{ fork: 'api', port: 8080, dataPort: 8080, localPort: 3001 }], localForks: ['api'] });
});

test('local fork without the agent, and an unknown workload, are explained errors', () => {
  const spec = specOf('local.tether.yaml');
  assert.throws(() => planSandbox({ spec, baseline, renewTime, holderIdentity: 'x', placement: { mode: 'namespace' }, developer: 'j', branch: 'b' }), /needs the sandbox's agent/);
  const missing = { ...spec, forks: [{ ...spec.forks[0], workload: { kind: 'Deployment' as const, name: 'cart' } }] };
  assert.throws(() => planSandbox({ spec: missing, baseline, renewTime, holderIdentity: 'x', placement: { mode: 'namespace' }, developer: 'j', branch: 'b', agent }), /no Deployment of that name \(it has: api, web\)/);
});

test('an agent builder that drops the ownership labels is refused', () => {
  const careless: AgentBuilder = (r) => ({ objects: agent(r).objects.map((o) => ({ ...o, metadata: { ...o.metadata, labels: { app: 'agent' } } })) });
  assert.throws(() => planSandbox({ spec: specOf('local.tether.yaml'), baseline, renewTime, holderIdentity: 'x', placement: { mode: 'namespace' }, developer: 'j', branch: 'b', agent: careless }), /lacks the ownership labels/);
});

test('labels carry sandbox and owner', () => {
  const plan = planSandbox({ spec: specOf('image-env.tether.yaml'), baseline, renewTime, holderIdentity: 'x', placement: { mode: 'namespace' }, developer: 'Ünïcode Dev', branch: 'b' });
  assert.equal(plan.objects[0].metadata.labels[ownerLabel], 'unicode-dev');
  assert.equal(plan.objects[0].metadata.labels[sandboxLabel], 'unicode-dev-b');
});

test('local fork with the agent\'s objects: sandbox labels, cleanup env, service account, selected by the fork Service', () => {
  const plan = planSandbox({ spec: specOf('local.tether.yaml'), baseline, renewTime, holderIdentity: 'x', placement: { mode: 'shared', namespace: 'shop' }, developer: 'jane', branch: 'main', agent });
  const kindsAndNames = plan.objects.map((o) => `${o.kind}/${o.metadata.name}`);
  assert.deepEqual(kindsAndNames, ['Lease/jane-main-tether-sandbox', 'ServiceAccount/jane-main-tether-agent', 'Role/jane-main-tether-agent', 'RoleBinding/jane-main-tether-agent', 'Secret/jane-main-tether-agent-token', 'ConfigMap/jane-main-tether-agent', 'Service/jane-main-api', 'Deployment/jane-main-tether-agent']);
  for (const o of plan.objects) assert.ok(isTetherOwned(o));
  type Pod = { metadata: { labels: Record<string, string> }; spec: { serviceAccountName: string; containers: { env: { name: string; value?: string }[]; securityContext: { runAsNonRoot: boolean } }[] } };
  const agentDeployment = plan.objects.find((o) => o.kind === 'Deployment') as DesiredObject & { spec: { template: Pod } };
  assert.equal(agentDeployment.metadata.labels['tether.dev/role'], 'agent');
  assert.equal(agentDeployment.metadata.annotations?.['tether.dev/local-forks'], 'api');
  const pod = agentDeployment.spec.template;
  assert.equal(pod.spec.serviceAccountName, 'jane-main-tether-agent');
  assert.equal(pod.spec.containers[0].securityContext.runAsNonRoot, true);
  const env = Object.fromEntries(pod.spec.containers[0].env.map((e) => [e.name, e.value]));
  assert.deepEqual([env.TETHER_SANDBOX, env.TETHER_NAMESPACE, env.TETHER_LEASE, env.TETHER_OWNS_NAMESPACE, env.TETHER_DATA_PORTS], ['jane-main', 'shop', 'jane-main-tether-sandbox', 'false', '8080']);
  const svc = plan.objects.find((o) => o.kind === 'Service') as DesiredObject & { spec: { selector: Record<string, string>; ports: { targetPort: number }[] } };
  for (const [k, v] of Object.entries(svc.spec.selector)) assert.equal(pod.metadata.labels[k], v);
  assert.equal(svc.spec.ports[0].targetPort, 8080, 'the named baseline port resolves to the number the agent listens on');
  const role = plan.objects.find((o) => o.kind === 'Role') as DesiredObject & { rules: { resources: string[]; resourceNames?: string[]; verbs: string[] }[] };
  assert.deepEqual(role.rules.find((r) => r.verbs.includes('delete') && r.resources[0] === 'secrets')?.resourceNames, ['jane-main-tether-agent-token']);
});

test('two local forks on the same port share the one agent pod on different data ports', () => {
  const spec = { ...specOf('local.tether.yaml'), forks: [specOf('local.tether.yaml').forks[0], { workload: { kind: 'Deployment' as const, name: 'web' }, mode: 'local' as const, env: {}, ports: [{ port: 8080, localPort: 4000 }, { port: 3000, localPort: 4001 }] }] };
  const plan = planSandbox({ spec, baseline, renewTime, holderIdentity: 'x', placement: { mode: 'namespace' }, developer: 'jane', branch: 'main', agent });
  assert.deepEqual(plan.agent?.dataPorts, [
    { fork: 'api', port: 8080, dataPort: 8080, localPort: 3001 },
    { fork: 'web', port: 8080, dataPort: 20000, localPort: 4000 },
    { fork: 'web', port: 3000, dataPort: 3000, localPort: 4001 },
  ]);
  assert.equal(plan.objects.filter((o) => o.kind === 'Deployment').length, 1, 'one agent pod for both local forks');
  type Svc = DesiredObject & { spec: { selector: Record<string, string>; ports: { port: number; targetPort: number }[] } };
  const web = plan.objects.find((o) => o.kind === 'Service' && o.metadata.name === 'web') as Svc;
  const api = plan.objects.find((o) => o.kind === 'Service' && o.metadata.name === 'api') as Svc;
  assert.deepEqual(web.spec.ports.map((p) => [p.port, p.targetPort]), [[80, 3000]]);
  assert.deepEqual(api.spec.ports.map((p) => [p.port, p.targetPort]), [[80, 8080]]);
  assert.deepEqual(web.spec.selector, api.spec.selector);
  const env = Object.fromEntries(((plan.objects.find((o) => o.kind === 'Deployment') as DesiredObject & { spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } } }).spec.template.spec.containers[0].env).map((e) => [e.name, e.value]));
  assert.equal(env.TETHER_DATA_PORTS, '8080,20000,3000');
});

test('a Service port whose target the local fork does not forward is left out, said in a note', () => {
  const spec = { ...specOf('local.tether.yaml'), forks: [{ ...specOf('local.tether.yaml').forks[0], ports: [{ port: 9090, localPort: 3001 }] }] };
  const plan = planSandbox({ spec, baseline, renewTime, holderIdentity: 'x', placement: { mode: 'namespace' }, developer: 'jane', branch: 'main', agent });
  assert.ok(!plan.objects.some((o) => o.kind === 'Service' && o.metadata.name === 'api'));
  assert.ok(plan.notes.some((n) => /Port 80 of Service "api" targets port 8080, which the local fork "api" does not forward/.test(n)), plan.notes.join(' | '));
  assert.ok(plan.notes.some((n) => /Service "api" is left out of the sandbox/.test(n)));
});

test('what a fork reads from the baseline namespace: ConfigMaps and Secrets are copied, the service account is named in the notes', () => {
  const reads = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop', uid: 'u', resourceVersion: '1' },
    spec: {
      template: {
        metadata: { labels: { app: 'api' } },
        spec: {
          serviceAccountName: 'api-sa',
          imagePullSecrets: [{ name: 'registry' }],
          containers: [{ name: 'api', image: 'a', envFrom: [{ configMapRef: { name: 'settings' } }] }],
          volumes: [{ name: 'certs', secret: { secretName: 'tls' } }],
        },
      },
    },
  } as KubeObject;
  const spec = { ...specOf('image-env.tether.yaml'), forks: [specOf('image-env.tether.yaml').forks[0]] };
  const config = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { mode: 'x' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', namespace: 'shop' }, data: { 'tls.key': 'a2V5' } },
  ] as unknown as KubeObject[];
  const plan = planSandbox({ spec, baseline: [reads, ...config], renewTime, holderIdentity: 'x', placement: { mode: 'namespace' }, developer: 'j', branch: 'b' });
  assert.deepEqual(plan.objects.filter((o) => o.metadata.labels['tether.dev/role'] === 'config-copy').map((o) => `${o.kind}/${o.metadata.name}`), ['Secret/tls', 'ConfigMap/settings'], 'the missing pull secret is skipped: the kubelet pulls without it');
  assert.deepEqual(plan.notes.slice(0, 1), ['The fork of "api" reads ServiceAccount "api-sa", which stays in "shop"; create it there (Tether copies ConfigMaps and Secrets, not service accounts and their permissions) or its pods will not start in "j-b".']);
  const shared = planSandbox({ spec, baseline: [reads], renewTime, holderIdentity: 'x', placement: { mode: 'shared', namespace: 'shop' }, developer: 'j', branch: 'b' });
  assert.ok(!shared.notes.some((n) => n.includes('reads')), 'in the baseline namespace they are at hand');
});

test('a sandbox without local forks still gets its agent, with no data ports, its permissions and the cleanup environment', () => {
  const plan = planSandbox({ spec: specOf('image-env.tether.yaml'), baseline, renewTime, holderIdentity: 'x', placement: { mode: 'shared', namespace: 'shop' }, developer: 'jane', branch: 'main', agent });
  assert.ok(!plan.notes.some((n) => n.includes('No agent runs')));
  const deployment = plan.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'jane-main-tether-agent') as DesiredObject & { spec: { template: { spec: { serviceAccountName: string; containers: { env: { name: string; value: string }[]; ports: unknown[] }[] } } } };
  assert.ok(deployment);
  assert.equal(deployment.metadata.labels['tether.dev/role'], 'agent');
  assert.equal(deployment.spec.template.spec.serviceAccountName, 'jane-main-tether-agent');
  const env = Object.fromEntries(deployment.spec.template.spec.containers[0].env.map((e) => [e.name, e.value]));
  assert.equal(env.TETHER_DATA_PORTS, '', 'the tunnel listener is off');
  assert.deepEqual(deployment.spec.template.spec.containers[0].ports, []);
  for (const name of ['TETHER_SANDBOX', 'TETHER_NAMESPACE', 'TETHER_LEASE', 'TETHER_OWNS_NAMESPACE']) assert.ok(name in env, name);
  assert.ok(plan.objects.some((o) => o.kind === 'RoleBinding'));
  assert.deepEqual(plan.agent?.dataPorts, []);
  const without = planSandbox({ spec: specOf('image-env.tether.yaml'), baseline, renewTime, holderIdentity: 'x', placement: { mode: 'namespace' }, developer: 'jane', branch: 'main' });
  assert.ok(!without.objects.some((o) => o.kind === 'Role'));
  assert.equal(without.agent, undefined);
  assert.match(without.notes.at(-1) ?? '', /No agent runs in the sandbox, so it is removed only when it is deleted/);
});
