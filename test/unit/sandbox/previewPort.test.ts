import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types';
import { checkJob, inClusterPreviewUrl, previewUrlEnv } from '../../../src/sandbox/checks/checks';
import { planSandbox, type PlanInput } from '../../../src/sandbox/plan';
import { entryServicePort } from '../../../src/sandbox/preview/entryPort';
import { previewEntry } from '../../../src/sandbox/preview/previewRouting';
import { parseSpec, type SandboxSpec } from '../../../src/sandbox/spec';
import { baselineOf } from './planGolden';

/** The shop baseline with web's Service on 8080 and a second port, as on clusters where nothing listens on 80. */
const baseline: KubeObject[] = baselineOf('baseline.yaml').map((o) =>
  o.kind === 'Service' && o.metadata.name === 'web' ? { ...o, spec: { ...(o.spec as object), ports: [{ name: 'http', port: 8080, targetPort: 3000 }, { name: 'admin', port: 9090, targetPort: 9090 }] } } : o,
);
const renewTime = new Date('2026-11-22T03:00:00.000Z');

function spec(preview: string): SandboxSpec {
  const parsed = parseSpec(`name: shop\nbaseline: { namespace: shop }\nforks:\n  - { workload: { name: web }, mode: env, env: { A: "1" } }\npreview: ${preview}\n`);
  assert.deepEqual(parsed.diagnostics, []);
  return parsed.spec!;
}

function plan(s: SandboxSpec, placement: PlanInput['placement'] = { mode: 'namespace' }) {
  return planSandbox({ spec: s, baseline, placement, renewTime, holderIdentity: 'jane@laptop', developer: 'jane', branch: 'main' });
}

const check = { name: 'smoke', image: 'curlimages/curl', command: ['curl', '-f', '$(TETHER_PREVIEW_URL)'], env: {}, timeoutSeconds: 60 };

function previewUrlOf(job: ReturnType<typeof checkJob>): string | undefined {
  const env = (job.spec as { template: { spec: { containers: { env: { name: string; value: string }[] }[] } } }).template.spec.containers[0].env;
  return env.find((e) => e.name === previewUrlEnv)?.value;
}

test('without preview.port, the checks reach the entry Service on its first port, as the local preview does', () => {
  const s = spec('{ service: web }');
  const p = plan(s);
  assert.equal(p.entry?.port, 8080);
  assert.equal(previewUrlOf(checkJob(p, check, 'r1')), 'http://web.jane-main.svc.cluster.local:8080/');
  assert.equal(previewEntry(s, p)?.port, 8080, 'the local preview enters through the same port');
});

test('preview.port picks that port of the Service, for the checks, the local preview and header routing alike', () => {
  const p = plan(spec('{ service: web, port: 9090, path: /admin }'));
  assert.equal(inClusterPreviewUrl(p), 'http://web.jane-main.svc.cluster.local:9090/admin');
  const header = spec('{ service: web, routing: header }');
  assert.deepEqual(previewEntry(header, plan(header)), { namespace: 'shop', service: 'web', port: 8080 });
});

test('a shared namespace resolves the port from the baseline\'s Service of that name', () => {
  const p = plan(spec('{ service: web }'), { mode: 'shared', namespace: 'shop' });
  assert.equal(inClusterPreviewUrl(p), 'http://jane-main-web.shop.svc.cluster.local:8080/');
});

test('one rule for the port: the named one, else the first; a port the Service lacks is none', () => {
  const ports = [{ port: 8080 }, { port: 9090 }];
  assert.deepEqual(entryServicePort(ports), { port: 8080 });
  assert.deepEqual(entryServicePort(ports, 9090), { port: 9090 });
  assert.equal(entryServicePort(ports, 80), undefined);
  assert.equal(entryServicePort([]), undefined);
});
