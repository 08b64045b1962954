// Planning the shareable preview host: the gate's objects (golden), Ingress or HTTPRoute, the gate
// running in the sandbox's one agent pod, permissions, and bad settings explained.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ExplainedError } from '../../../src/kube/errors';
import type { KubeObject } from '../../../src/kube/types';
import type { DesiredObject } from '../../../src/sandbox/desired';
import { sandboxAgentBuilder } from '../../../src/sandbox/agentObjects';
import { isTetherOwned } from '../../../src/sandbox/labels';
import { assertGoldenDocuments } from './planGolden';
import { planSandbox, type PlanInput } from '../../../src/sandbox/plan';
import { previewGateName, previewKeySecretName } from '../../../src/sandbox/preview/previewGateObjects';
import { previewHostName, previewHostSettings, type RawPreviewHostSettings } from '../../../src/sandbox/preview/previewHost';
import { parseSpec } from '../../../src/sandbox/spec';
import { planCleanup } from '../../../src/agent/cleanup';

const fixtures = join(__dirname, '../../fixtures/sandbox');
const baseline = parseAllDocuments(readFileSync(join(fixtures, 'baseline.yaml'), 'utf8')).map((d) => d.toJS() as KubeObject);
const key = 'm3kG8Qp0dYb2w9Zr4TnV1aXc6HsLjE5uFqRoPiKyW7g';

function specOf(file: string) {
  return specText(readFileSync(join(fixtures, file), 'utf8'));
}

function specText(text: string) {
  const parsed = parseSpec(text);
  assert.ok(parsed.spec, JSON.stringify(parsed.diagnostics));
  return parsed.spec;
}

/** Only an `env` fork of web: the agent runs no tunnel listener in this sandbox. */
const envOnly = () => specText('name: shop\nbaseline: { namespace: shop }\nforks:\n  - workload: { name: web }\n    mode: env\n    env: { API_URL: http://api }\npreview: { service: web, port: 80 }\n');


function plan(raw: RawPreviewHostSettings, input: Partial<PlanInput> & Pick<PlanInput, 'spec'>) {
  const settings = previewHostSettings(raw);
  assert.ok(settings);
  return planSandbox({
    baseline,
    placement: { mode: 'namespace' },
    developer: 'jane',
    branch: 'main',
    holderIdentity: 'jane@laptop',
    renewTime: new Date('2026-11-22T03:00:00.000Z'),
    agent: sandboxAgentBuilder({ agentScript: 'AGENT', token: 't0ken-0123456789abcdef', share: { settings, key } }),
    share: true,
    ...input,
  });
}

function gateObjects(objects: readonly DesiredObject[], gateName: string): DesiredObject[] {
  return objects.filter((o) => o.metadata.name === gateName || o.metadata.name === previewKeySecretName(gateName));
}

function golden(name: string, objects: readonly DesiredObject[], head: Record<string, unknown>) {
  assertGoldenDocuments(name, head, objects);
}

type AgentDeployment = DesiredObject & { spec: { template: { metadata: { labels: Record<string, string> }; spec: { containers: { env: { name: string; value: string }[]; ports: { name: string; containerPort: number }[] }[]; volumes: { name: string }[] } } } };

function agentEnv(objects: readonly DesiredObject[]): Record<string, string> {
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.labels['tether.dev/role'] === 'agent') as AgentDeployment;
  return Object.fromEntries(deployment.spec.template.spec.containers[0].env.map((e) => [e.name, e.value]));
}

test('ingress mode without a local fork: key Secret, the gate\'s Service to the agent pod and the Ingress; the agent runs the gate and cleans up', () => {
  const p = plan({ domain: 'preview.example.com', ingressClass: 'nginx', tlsSecret: 'preview-wildcard' }, { spec: envOnly() });
  assert.deepEqual(p.share, { host: 'jane-main.preview.example.com', origin: 'https://jane-main.preview.example.com' });
  const gate = gateObjects(p.objects, previewGateName(p.sandbox, true));
  golden('preview-gate.ingress', gate, { share: p.share, entry: p.entry });
  assert.deepEqual(gate.map((o) => o.kind).sort(), ['Ingress', 'Secret', 'Service']);
  assert.deepEqual(p.objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name).sort(), ['tether-agent', 'web'], 'one agent pod, no gate or janitor of its own');
  const env = agentEnv(p.objects);
  assert.equal(env.TETHER_PREVIEW_UPSTREAM, 'web.jane-main.svc:80');
  assert.equal(env.TETHER_SANDBOX, 'jane-main', 'the same pod cleans up');
  assert.equal(env.TETHER_DATA_PORTS, '');
  const service = gate.find((o) => o.kind === 'Service') as DesiredObject & { spec: { selector: Record<string, string> } };
  const pod = (p.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'tether-agent') as AgentDeployment).spec.template;
  for (const [k, v] of Object.entries(service.spec.selector)) assert.equal(pod.metadata.labels[k], v, 'the gate\'s Service selects the agent pod');
  assert.ok(pod.spec.containers[0].ports.some((port) => port.name === 'gate'));
  assert.ok(p.objects.every((o) => o.kind === 'Namespace' || isTetherOwned(o)));
  const role = p.objects.find((o) => o.kind === 'Role') as DesiredObject & { rules: { resources: string[]; resourceNames?: string[]; verbs: string[] }[] };
  assert.ok(role.rules.some((r) => r.resources.includes('ingresses') && r.verbs.includes('delete') && r.resourceNames?.includes('tether-preview')));
  assert.ok(role.rules.some((r) => r.resources.includes('ingresses') && r.verbs.includes('list')), 'the self-cleanup may look for the Ingress');
  assert.ok(!role.rules.some((r) => r.resources.includes('httproutes')), 'and asks for nothing about HTTPRoutes it does not have');
  assert.ok(p.notes.every((n) => !/removed only when it is deleted/.test(n)));
});

test('gateway mode with a local fork: an HTTPRoute to the Gateway; the gate forwards to the forked entry from the same agent pod as the tunnel', () => {
  const p = plan({ domain: 'preview.example.com', gateway: 'gateway-system/preview' }, { spec: specOf('local.tether.yaml') });
  const gate = gateObjects(p.objects, 'tether-preview');
  golden('preview-gate.gateway', gate, { share: p.share, entry: p.entry });
  const env = agentEnv(p.objects);
  assert.equal(env.TETHER_PREVIEW_UPSTREAM, 'api.jane-main.svc:80', 'the entry Service\'s first port when the preview names none');
  assert.equal(env.TETHER_DATA_PORTS, '8080');
  assert.equal(p.objects.filter((o) => o.kind === 'Deployment').length, 1);
});

test('shared namespace: the gate\'s names carry the sandbox, as previewGateName says', () => {
  const p = plan({ domain: 'preview.example.com' }, { spec: envOnly(), placement: { mode: 'shared', namespace: 'shop' } });
  const name = previewGateName(p.sandbox, false);
  assert.equal(name, 'jane-main-tether-preview');
  assert.equal(gateObjects(p.objects, name).length, 3);
  const ingress = p.objects.find((o) => o.kind === 'Ingress') as DesiredObject & { spec: Record<string, unknown> };
  assert.equal(ingress.spec.ingressClassName, undefined, 'no class set: the cluster default');
});

test('no preview domain, no gate; a gate without a preview section is not planned', () => {
  assert.equal(previewHostSettings({ domain: ' ' }), undefined);
  const p = plan({ domain: 'preview.example.com' }, { spec: { ...envOnly(), preview: undefined } });
  assert.equal(p.share, undefined);
  assert.ok(!p.objects.some((o) => o.kind === 'Ingress'));
});

test('settings: wildcards and case are forgiven, the rest is explained', () => {
  assert.equal(previewHostSettings({ domain: '*.Preview.Example.com.' })?.domain, 'preview.example.com');
  assert.deepEqual(previewHostSettings({ domain: 'p.example.com', gateway: 'gw/main', linkTtlHours: 2, scheme: 'http' }), { domain: 'p.example.com', scheme: 'http', linkTtlHours: 2, gateway: { namespace: 'gw', name: 'main' } });
  const why = (raw: RawPreviewHostSettings) => {
    try {
      previewHostSettings(raw);
      return 'accepted';
    } catch (err) {
      assert.ok(err instanceof ExplainedError);
      return `${err.what}: ${err.why} / ${err.remedy}`;
    }
  };
  assert.match(why({ domain: 'preview_example.com' }), /preview.domain: .*not a DNS domain.*wildcard DNS record/);
  assert.match(why({ domain: 'p.example.com', gateway: 'preview' }), /preview.gateway.*"<namespace>\/<name>"/);
  assert.match(why({ domain: 'p.example.com', linkTtlHours: 0 }), /linkTtlHours/);
  assert.throws(() => previewHostName('jane-main', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}`), /longer than 253/);
});

test('the self-cleanup deletes the Ingress, HTTPRoute and the gate\'s Service, and leaves the agent\'s own Deployment to the Lease', () => {
  const labels = { 'app.kubernetes.io/managed-by': 'tether', 'tether.dev/sandbox': 'jane-main' };
  const listed = (name: string, role: string) => ({ metadata: { name, uid: `u-${name}`, labels: { ...labels, 'tether.dev/role': role } } });
  const found = new Map([
    ['Deployment', [listed('tether-agent', 'agent'), listed('web', 'fork')]],
    ['Ingress', [listed('tether-preview', 'preview-gate')]],
    ['HTTPRoute', [listed('tether-preview', 'preview-gate')]],
    ['Service', [listed('tether-preview', 'preview-gate')]],
  ]);
  const steps = planCleanup(found, { sandbox: 'jane-main', namespace: 'shop', lease: 'jane-main-tether-sandbox', ownsNamespace: false });
  assert.deepEqual(steps.map((s) => `${s.kind === 'Namespace' ? 'Namespace' : s.kind.kind}/${s.name}`), ['Deployment/web', 'Ingress/tether-preview', 'HTTPRoute/tether-preview', 'Service/tether-preview', 'Lease/jane-main-tether-sandbox']);
});

test('a header-routed preview: the gate forwards to the baseline\'s entry Service and adds the sandbox\'s baggage', () => {
  const spec = specText('name: shop\nbaseline: { namespace: shop }\nforks:\n  - workload: { name: api }\n    mode: local\n    ports: [{ port: 8080 }]\npreview: { service: web, routing: header }\n');
  const env = agentEnv(plan({ domain: 'preview.example.com' }, { spec }).objects);
  assert.equal(env.TETHER_PREVIEW_UPSTREAM, 'web.shop.svc:80');
  assert.equal(env.TETHER_PREVIEW_ROUTING, 'header');
});
