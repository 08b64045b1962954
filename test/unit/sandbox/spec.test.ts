import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forkFields, parseDuration, parseSpec } from '../../../src/sandbox/spec';

const schema = JSON.parse(readFileSync(join(__dirname, '../../../schemas/tether.schema.json'), 'utf8')) as { properties: Record<string, unknown>; required: string[] };

function codes(text: string) {
  return parseSpec(text).diagnostics.map((d) => `${d.code} ${d.path} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);
}

test('a full spec parses into the model with defaults', () => {
  const { spec, diagnostics } = parseSpec(`name: shop
baseline: { namespace: shop }
forks:
  - workload: { name: api }
    mode: local
    ports: [8080, { port: 9090, localPort: 3000 }]
checks:
  - { name: smoke, image: curlimages/curl, command: [curl, -f, http://api], timeout: 2m }
`);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(spec, {
    name: 'shop',
    baseline: { namespace: 'shop' },
    ttlSeconds: 7200,
    forks: [{ workload: { kind: 'Deployment', name: 'api' }, mode: 'local', env: {}, ports: [{ port: 8080 }, { port: 9090, localPort: 3000 }] }],
    checks: [{ name: 'smoke', image: 'curlimages/curl', command: ['curl', '-f', 'http://api'], env: {}, timeoutSeconds: 120 }],
  });
});

test('errors carry exact ranges and no spec comes out', () => {
  const text = 'name: Shop\nbaseline:\n  namespace: shop\nforks:\n  - workload: { name: api }\n    mode: tunnel\n    bogus: 1\n';
  const parsed = parseSpec(text);
  assert.equal(parsed.spec, undefined);
  assert.deepEqual(codes(text), ['spec-format name 0:6-0:10', 'spec-unknown-field forks[0].bogus 6:4-6:9', 'spec-enum forks[0].mode 5:10-5:16']);
  const bad = parsed.diagnostics[2];
  assert.equal(text.slice(bad.start, bad.end), 'tunnel');
});

test('mode rules: image needs image, env needs env, image only with mode image, localPort only local', () => {
  const text = `name: s
baseline: { namespace: b }
forks:
  - { workload: { name: a }, mode: image }
  - { workload: { name: b }, mode: env }
  - { workload: { name: c }, mode: env, env: { X: 1 }, image: foo }
  - { workload: { name: d }, mode: image, image: x, ports: [{ port: 1, localPort: 2 }] }
`;
  assert.deepEqual(
    parseSpec(text).diagnostics.map((d) => `${d.severity} ${d.code} ${d.path}`),
    ['error spec-required forks[0].image', 'error spec-required forks[1].env', 'error spec-mode forks[2].image', 'warning spec-mode forks[3].ports[0].localPort'],
  );
});

test('missing sections, duplicate forks, bad ttl and YAML syntax errors', () => {
  assert.deepEqual(codes(''), ['spec-required  0:0-0:0']);
  assert.match(parseSpec('name: [\n').diagnostics[0].code, /yaml-syntax/);
  const text = 'name: s\nbaseline: { namespace: b }\nttl: 5 days\nforks:\n  - { workload: { name: a }, mode: env, env: { A: 1 } }\n  - { workload: { name: a }, mode: env, env: { A: 2 } }\n';
  assert.deepEqual(parseSpec(text).diagnostics.map((d) => `${d.code} ${d.path}`), ['spec-format ttl', 'spec-duplicate forks[0]', 'spec-duplicate forks[1]']);
  assert.deepEqual(parseSpec('name: s\nbaseline: { namespace: b }\nforks: []\n').diagnostics.map((d) => d.code), ['spec-required']);
});

test('durations', () => {
  assert.equal(parseDuration('2h'), 7200);
  assert.equal(parseDuration('1h30m'), 5400);
  assert.equal(parseDuration(45), 45);
  assert.equal(parseDuration('5 days'), undefined);
  assert.equal(parseDuration(''), undefined);
  assert.equal(parseDuration('0s'), undefined);
});

test('the JSON schema names the same top-level fields the parser knows', () => {
  assert.deepEqual(Object.keys(schema.properties).sort(), ['baseline', 'checks', 'forks', 'name', 'preview', 'ttl']);
  assert.deepEqual(schema.required, ['name', 'baseline', 'forks']);
  const unknown = parseSpec('name: s\nbaseline: { namespace: b }\nforks: [{ workload: { name: a }, mode: env, env: { A: 1 } }]\nextra: 1\n').diagnostics;
  assert.match(unknown[0].message, /expected one of: name, baseline, ttl, forks, preview, checks/);
});

test('the JSON schema names the same fork fields the parser knows', () => {
  const forkSchema = (schema.properties.forks as { items: { properties: Record<string, unknown> } }).items;
  assert.deepEqual(Object.keys(forkSchema.properties).sort(), [...forkFields].sort());
});
