// `tether checks run` and `tether schedule` end to end: checks of tether.yaml against a sandbox the
// CLI brought up, their --json shape, the JUnit report, exit 1 when one fails; "will it schedule"
// per node with exit 1 when a template cannot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CheckSpec } from '../../../src/sandbox/spec';
import { checkCommands } from '../sandbox/checkCommands';
import { cliCluster } from './cliCluster';

function specText(shop: string, image: string, checks: string): string {
  return `name: shop\nbaseline: { namespace: ${shop} }\nttl: 1h\nforks:\n  - workload: { name: api }\n    mode: image\n    image: ${image}\npreview: { service: api, port: 80, path: /products }\nchecks:\n${checks}`;
}

test('checks run against the sandbox: JSON results, a JUnit report, exit 1 when one fails', async (t) => {
  const c = await cliCluster(t, 'cli-checks');
  const name = `pr-${c.cluster.run}`;
  const run = checkCommands(c.cluster.images.relay);
  const item = (check: CheckSpec) => `  - ${JSON.stringify({ name: check.name, image: check.image, command: check.command })}\n`;
  const passing = item(run.smoke);
  const failing = item(run.contract);
  const workspace = c.workspace({ 'tether.yaml': specText(c.shop, c.forkImage, passing) });
  const up = await c.tether(['sandbox', 'up', '--name', name], workspace);
  assert.equal(up.code, 0, up.err);
  assert.match(up.out, new RegExp(`^Sandbox "${name}" is up in namespace ${name}`));

  const ok = await c.tether(['checks', 'run', '--name', name, '--json', '--junit', 'checks.xml'], workspace);
  assert.equal(ok.code, 0, ok.err);
  const result = JSON.parse(ok.out);
  assert.equal(result.sandbox, name);
  assert.equal(result.namespace, name);
  assert.equal(result.passed, 1);
  assert.equal(result.failed, 0);
  assert.equal(result.checks[0].name, 'smoke');
  assert.equal(result.checks[0].state, 'passed');
  assert.match(result.checks[0].job, /^check-smoke-/);
  assert.match(ok.err, /PASS {2}smoke in \d+\.\d s/);
  const junit = readFileSync(path.join(workspace, 'checks.xml'), 'utf8');
  assert.match(junit, /<testsuites name="tether checks" tests="1" failures="0" errors="0" skipped="0"/);
  assert.match(junit, new RegExp(`<testcase classname="tether.checks.${name}" name="smoke" time="\\d+\\.\\d{3}">`));

  const both = c.workspace({ 'tether.yaml': specText(c.shop, c.forkImage, passing + failing) });
  const bad = await c.tether(['checks', 'run', '--name', name, '--junit', 'checks.xml'], both);
  assert.equal(bad.code, 1, bad.err);
  assert.match(bad.out, /PASS {2}smoke/);
  assert.match(bad.out, /FAIL {2}contract in \d+\.\d s: the check exited with code 3/);
  assert.match(bad.out, /Checks of "pr-\w+": 1 passed, 1 failed/);
  const failed = readFileSync(path.join(both, 'checks.xml'), 'utf8');
  assert.match(failed, /<testcase classname="tether\.checks\.pr-\w+" name="contract" time="[\d.]+">\n {6}<failure message="the check exited with code 3[^"]*" type="CheckFailed">[^<]*fatal: config missing/);

  const missing = await c.tether(['checks', 'run', '--name', `nope-${c.cluster.run}`], workspace);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /has no sandbox "nope-\w+"\. Bring it up first; run `tether preview` again/);
  assert.equal((await c.tether(['sandbox', 'down', '--name', name], workspace)).code, 0);
});

test('schedule: the sample\'s GPU training job cannot schedule on a cluster without GPUs (exit 1, per node); the api can (exit 0)', async (t) => {
  const c = await cliCluster(t, 'cli-schedule');
  const sample = path.join(__dirname, '..', '..', '..', 'sample', 'k8s');
  const api = await c.tether(['schedule', path.join(sample, 'api.yaml'), '--json']);
  assert.equal(api.code, 0, api.err);
  const fits = JSON.parse(api.out);
  assert.equal(fits.context, c.cluster.context);
  assert.equal(fits.templates.length, 1);
  assert.equal(fits.templates[0].kind, 'Deployment');
  assert.equal(fits.templates[0].fits, true);
  assert.ok(fits.templates[0].fitsOn.length >= 1);
  const gpu = await c.tether(['schedule', path.join(sample, 'train-llm.yaml')]);
  if ((await c.cluster.gpuNodes()).length > 0) return; // a real cluster with GPUs may fit it
  assert.equal(gpu.code, 1, gpu.err);
  assert.match(gpu.out, /^# Will it schedule\? \S+ \S+/m);
  assert.match(gpu.out, /nvidia\.com\/gpu/);
  const none = await c.tether(['schedule', path.join(__dirname, '..', '..', 'fixtures', 'manifests', 'workspace', 'not-there.yaml')]);
  assert.equal(none.code, 2);
});
