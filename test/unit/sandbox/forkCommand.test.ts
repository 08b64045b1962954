import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DesiredObject } from '../../../src/sandbox/desired';
import { planSandbox, type PlanInput } from '../../../src/sandbox/plan';
import { parseSpec, type SandboxSpec } from '../../../src/sandbox/spec';
import { assertGolden, baselineOf, specOf } from './planGolden';

const baseline = baselineOf('command-baseline.yaml');
const renewTime = new Date('2026-11-22T03:00:00.000Z');

type Container = { name: string; image: string; command?: string[]; args?: string[] };

function plan(spec: SandboxSpec, placement: PlanInput['placement'] = { mode: 'namespace' }) {
  return planSandbox({ spec, baseline, placement, renewTime, holderIdentity: 'jane@laptop', developer: 'jane', branch: 'main' });
}

function container(objects: DesiredObject[], name: string): Container {
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name.endsWith(name)) as DesiredObject & { spec: { template: { spec: { containers: Container[] } } } };
  return deployment.spec.template.spec.containers[0];
}

function specText(fork: string): SandboxSpec {
  const parsed = parseSpec(`name: shop\nbaseline: { namespace: shop }\nforks:\n  - ${fork}\n`);
  assert.deepEqual(parsed.diagnostics, []);
  assert.ok(parsed.spec);
  return parsed.spec;
}

test('an image fork keeps the baseline\'s command and args unless it overrides them', () => {
  const kept = container(plan(specText('{ workload: { name: api }, mode: image, image: registry.example.com/shop/api:pr-9 }')).objects, 'api');
  assert.equal(kept.image, 'registry.example.com/shop/api:pr-9');
  assert.deepEqual(kept.command, ['node', 'dist/server.js']);
  assert.deepEqual(kept.args, ['--port', '8080']);

  const onlyArgs = container(plan(specText('{ workload: { name: api }, mode: image, image: x/api:2, args: [--port, "9090"] }')).objects, 'api');
  assert.deepEqual(onlyArgs.command, ['node', 'dist/server.js'], 'command stays when only args are given');
  assert.deepEqual(onlyArgs.args, ['--port', '9090']);
});

test('a fork to a different image overrides command and args; empty lists leave the image\'s own ENTRYPOINT and CMD', () => {
  const result = plan(specOf('image-command.tether.yaml'));
  assertGolden('image-command.namespace', result);
  const api = container(result.objects, 'api');
  assert.deepEqual([api.image, api.command, api.args], ['ghcr.io/example/api-go:pr-7', ['/app/api'], ['--listen', ':8080']]);
  const worker = container(result.objects, 'worker');
  assert.equal(worker.image, 'ghcr.io/example/worker-rs:pr-7');
  assert.ok(!('command' in worker) && !('args' in worker), `the baseline's command and args are dropped: ${JSON.stringify(worker)}`);
  // Shared namespace: the same containers under prefixed names.
  assert.deepEqual(container(plan(specOf('image-command.tether.yaml'), { mode: 'shared', namespace: 'shop' }).objects, 'api').command, ['/app/api']);
});

test('an env fork may override command and args too; the baseline objects are not modified', () => {
  const before = JSON.stringify(baseline);
  const result = plan(specText('{ workload: { name: worker }, mode: env, env: { DEBUG: "1" }, args: [worker, --queue, orders-test] }'));
  const worker = container(result.objects, 'worker');
  assert.deepEqual(worker.command, ['/usr/local/bin/entrypoint.sh']);
  assert.deepEqual(worker.args, ['worker', '--queue', 'orders-test']);
  assert.equal(JSON.stringify(baseline), before);
});

test('command and args are refused on a local fork and must be lists of strings', () => {
  const diagnostics = (text: string) => parseSpec(`name: shop\nbaseline: { namespace: shop }\nforks:\n  - ${text}\n`).diagnostics.map((d) => `${d.code} ${d.path}`);
  assert.deepEqual(diagnostics('{ workload: { name: api }, mode: local, ports: [8080], command: [node], args: [x] }'), ['spec-mode forks[0].command', 'spec-mode forks[0].args']);
  assert.deepEqual(diagnostics('{ workload: { name: api }, mode: image, image: x, command: /app/api }'), ['spec-type forks[0].command']);
  assert.deepEqual(diagnostics('{ workload: { name: api }, mode: image, image: x, args: [--port, 8080] }'), ['spec-type forks[0].args[1]']);
  const local = parseSpec('name: shop\nbaseline: { namespace: shop }\nforks:\n  - { workload: { name: api }, mode: local, ports: [8080], command: [node] }\n').diagnostics[0];
  assert.match(local.message, /only applies to modes "image" and "env"/);
});
