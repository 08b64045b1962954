import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { tetherProcess } from '../../cli/cliDist';
import { runTether } from '../../cli/memoryIo';
import { tempFolder } from '../../tempFolder';

const root = path.resolve(import.meta.dirname, '../../..');
const fixtures = path.join(root, 'test/fixtures/manifests');
const good = path.join(fixtures, 'good.yaml');
const mixed = path.join(fixtures, 'mixed.yaml');

/** `tether lint` in this process, with the environment it was started with (KUBECONFIG and all). */
function run(args: string[]) {
  return runTether(['lint', ...args], { env: process.env });
}

test('text format: file:line:col, severity, message, rule; exit 1 on errors, 0 on a clean file', async () => {
  const bad = await run([mixed]);
  assert.equal(bad.code, 1);
  assert.match(bad.out, /mixed\.yaml:21:11: error unknown field "imagePullPolicyy" in Container; did you mean "imagePullPolicy"\? \[schema-unknown-field\]/);
  assert.match(bad.out, /1 file\(s\), 2 resource\(s\): 8 error\(s\)/);
  const clean = await run([good]);
  assert.equal(clean.code, 0, clean.out);
  assert.match(clean.out, /0 error\(s\), 0 warning\(s\)/);
});

test('warnings alone exit 0; --disable turns rules off', async () => {
  const r = await run(['--disable', 'api-version-removed,server-metadata,schema-type,server-workloads,server-containers,schema-enum,schema-unknown-field,schema-quantity,gpu-request-equals-limit', mixed]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /warning/);
});

test('json format lists diagnostics with 1-based positions and fixes', async () => {
  const r = await run(['--format', 'json', mixed]);
  const parsed = JSON.parse(r.out);
  assert.equal(parsed.length, 1);
  const d = parsed[0].diagnostics.find((x: { ruleId: string; message: string }) => x.ruleId === 'server-containers' && /imagePullPolicy/.test(x.message));
  assert.deepEqual([d.line, d.column, d.endLine, d.endColumn], [20, 28, 20, 34]);
  assert.equal(d.fixes[0].edits[0].newText, 'Always');
});

test('sarif format is SARIF 2.1.0 with rules and regions', async () => {
  const r = await run(['--format=sarif', mixed]);
  const sarif = JSON.parse(r.out);
  assert.equal(sarif.version, '2.1.0');
  const run0 = sarif.runs[0];
  assert.equal(run0.tool.driver.name, 'tether-lint');
  assert.ok(run0.tool.driver.rules.some((x: { id: string }) => x.id === 'gpu-request-equals-limit'));
  const res = run0.results.find((x: { ruleId: string }) => x.ruleId === 'gpu-request-equals-limit');
  assert.equal(res.level, 'error');
  assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 26, startColumn: 67, endLine: 26, endColumn: 68 });
  assert.equal(run0.tool.driver.rules[res.ruleIndex].id, 'gpu-request-equals-limit');
  const notes = run0.results.filter((x: { level: string }) => x.level === 'note');
  assert.ok(notes.length > 0);
});

test('--kubernetes-version changes API-version findings', async () => {
  const r = await run(['--format', 'json', '--kubernetes-version', '1.18', mixed]);
  const ids = JSON.parse(r.out)[0].diagnostics.map((d: { ruleId: string }) => d.ruleId);
  assert.ok(ids.includes('api-version-deprecated'));
  assert.ok(!ids.includes('api-version-removed'));
});

test('usage errors exit 2 with an explanation', async () => {
  for (const args of [[], ['--format', 'xml', good], ['--bogus', good], ['/no/such/file.yaml'], ['--kubernetes-version', 'latest', good], ['--pod-security', 'strict', good], ['--disable', 'no-such-rule', good]]) {
    const r = await run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /^tether: .+\n\nUsage: tether lint/);
  }
});

test('--pod-security lists the Pod Security findings one by one where auto sums them up per workload', async () => {
  const findings = async (args: string[]) => {
    const r = await run(['--format', 'json', ...args, mixed]);
    return (JSON.parse(r.out) as { diagnostics: { ruleId: string }[] }[])[0].diagnostics.filter((d) => d.ruleId === 'pod-security-restricted').length;
  };
  const auto = await findings([]);
  const restricted = await findings(['--pod-security', 'restricted']);
  assert.ok(restricted > auto, `restricted lists ${restricted}, auto ${auto}`);
});

test('folders are walked for .yaml and .yml; the real process sets the exit code', async () => {
  const p = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'lint', fixtures], { cwd: root, encoding: 'utf8' });
  assert.equal(p.status, 1, p.stderr);
  assert.match(p.stdout, /4 file\(s\)/);
  const ok = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'lint', good], { cwd: root, encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
});

test('--openapi adds CRD schemas from a saved /openapi/v3 document', async (t) => {
  const { writeFileSync } = await import('node:fs');
  const widget = path.join(tempFolder(t, 'lint'), 'widget.yaml');
  writeFileSync(widget, 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 2\n  colour: red\n');
  assert.equal((await run([widget])).code, 0, 'without the schema a custom resource gets only generic checks');
  const r = await run(['--openapi', path.join(fixtures, 'openapi-widget-crd.json'), widget]);
  assert.equal(r.code, 1);
  assert.match(r.out, /widget\.yaml:7:3: error unknown field "colour"/);
  const bad = await run(['--openapi', path.join(fixtures, 'good.yaml'), widget]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /cannot read it as an OpenAPI v3 JSON document/);
});

test('tether-lint, the alias the build ships beside tether.js, is tether lint: the same report and exit code', async () => {
  const env = { PATH: process.env.PATH };
  const alias = await tetherProcess(['--format', 'json', mixed], { cwd: root, env, script: 'tether-lint.js' });
  const lint = await tetherProcess(['lint', '--format', 'json', mixed], { cwd: root, env });
  assert.equal(alias.code, 1, alias.err);
  assert.equal(alias.code, lint.code);
  assert.deepEqual(JSON.parse(alias.out), JSON.parse(lint.out));
  const clean = await tetherProcess([good], { cwd: root, env, script: 'tether-lint.js' });
  assert.equal(clean.code, 0, clean.err);
  assert.match(clean.out, /0 error\(s\), 0 warning\(s\)/);
});
