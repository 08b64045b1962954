import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxPlan } from '../../../src/sandbox/plan';
import { headerRoutingInfo, previewEntry, previewRouting } from '../../../src/sandbox/preview/previewRouting';
import { parseSpec } from '../../../src/sandbox/spec';

const base = 'name: shop\nbaseline: { namespace: shop }\nforks:\n  - { workload: { name: api }, mode: env, env: { A: "1" } }\n';

test('preview.routing parses; absent means namespace and is not written into the spec', () => {
  const header = parseSpec(`${base}preview: { service: web, port: 8080, routing: header }\n`);
  assert.deepEqual(header.diagnostics, []);
  assert.deepEqual(header.spec?.preview, { service: 'web', port: 8080, path: '/', routing: 'header' });
  assert.equal(previewRouting(header.spec!), 'header');
  const plain = parseSpec(`${base}preview: { service: web }\n`);
  assert.deepEqual(plain.spec?.preview, { service: 'web', path: '/' });
  assert.equal(previewRouting(plain.spec!), 'namespace');
  assert.deepEqual(parseSpec(`${base}preview: { service: web, routing: namespace }\n`).spec?.preview, { service: 'web', path: '/', routing: 'namespace' });
});

test('an unknown routing is an error on the value, and no spec comes out', () => {
  const text = `${base}preview: { service: web, routing: mesh }\n`;
  const parsed = parseSpec(text);
  assert.equal(parsed.spec, undefined);
  assert.equal(parsed.diagnostics.length, 1);
  const [d] = parsed.diagnostics;
  assert.equal(d.code, 'spec-enum');
  assert.equal(d.path, 'preview.routing');
  assert.match(d.message, /preview.routing must be one of: namespace, header/);
  assert.equal(text.slice(d.start, d.end), 'mesh');
});

test('the JSON schema offers the same routing values, namespace by default', () => {
  const schema = JSON.parse(readFileSync(join(__dirname, '../../../schemas/tether.schema.json'), 'utf8')) as { properties: { preview: { properties: Record<string, { enum?: string[]; default?: string }> } } };
  assert.deepEqual(schema.properties.preview.properties.routing.enum, ['namespace', 'header']);
  assert.equal(schema.properties.preview.properties.routing.default, 'namespace');
});

test('header mode enters the baseline Service; namespace mode the plan\'s entry in the sandbox', () => {
  // The plan resolved the entry port (preview.port, else the Service's first): both modes use it.
  const plan = { sandbox: 'jane-main', namespace: 'tether-jane-main', entry: { service: 'web', port: 8080, path: '/' } } as SandboxPlan;
  const header = parseSpec(`${base}preview: { service: web, port: 8080, routing: header }\n`).spec!;
  assert.deepEqual(previewEntry(header, plan), { namespace: 'shop', service: 'web', port: 8080 });
  const plain = parseSpec(`${base}preview: { service: web }\n`).spec!;
  assert.deepEqual(previewEntry(plain, plan), { namespace: 'tether-jane-main', service: 'web', port: 8080 });
  assert.equal(previewEntry(plain, { ...plan, entry: undefined }), undefined);
});

test('the routing info names the header, the entry and a curl that works from a shell', () => {
  const info = headerRoutingInfo('jane-main', { namespace: 'shop', service: 'web' }, 'http://127.0.0.1:4321/products?a=1&b=\'x\'');
  assert.deepEqual(info, {
    mode: 'header',
    header: 'baggage: tether-sandbox=jane-main',
    entry: 'web.shop',
    curl: `curl -H 'baggage: tether-sandbox=jane-main' 'http://127.0.0.1:4321/products?a=1&b='\\''x'\\'''`,
  });
});
