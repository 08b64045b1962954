import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManifestWorkspace } from '../../../src/manifests/workspace';

const deploy = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          ports: [{ name: http, containerPort: 80 }]\n';
const svc = (port: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: { app: web }\n  ports: [{ port: 80, targetPort: ${port} }]\n`;

test('editing one file re-checks cross-file rules against the others; settings re-analyse', () => {
  const ws = new ManifestWorkspace();
  ws.set('deploy.yaml', deploy, 0);
  ws.set('svc.yaml', svc('htp'), 1);
  const byPath = () => new Map(ws.reports().map((r) => [r.path, r]));
  assert.equal(byPath().get('svc.yaml')!.diagnostics.filter((d) => d.ruleId === 'service-target-port-unknown').length, 1);
  ws.set('svc.yaml', svc('http'), 2);
  const after = byPath().get('svc.yaml')!;
  assert.equal(after.version, 2);
  assert.equal(after.diagnostics.filter((d) => d.ruleId === 'service-target-port-unknown').length, 0);
  ws.delete('deploy.yaml');
  assert.deepEqual(ws.paths(), ['svc.yaml']);
  ws.configure({ rules: { 'probes-missing': 'off' } });
  ws.set('deploy.yaml', deploy, 3);
  assert.equal(byPath().get('deploy.yaml')!.diagnostics.filter((d) => d.ruleId === 'probes-missing').length, 0);
});

test('re-analysis after an edit reuses untouched documents at their new offsets and matches a fresh analysis', async () => {
  const { ManifestLinter } = await import('../../../src/manifests/validate');
  const { generateFile, prng } = await import('../../fixtures/manifests/corpus');
  const linter = new ManifestLinter();
  const rand = prng(9);
  let text = generateFile(rand, 0, 12, 0.5) + '---\n' + deploy + '---\n' + deploy;
  let previous = linter.analyze({ path: 'e.yaml', text });
  let reused = 0;
  for (let i = 0; i < 60; i++) {
    const roots = new Set(previous.resources.map((r) => r.root));
    const at = Math.floor(rand() * text.length);
    text = i % 3 === 0 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + (i % 2 ? 'q' : '\n') + text.slice(at);
    previous = linter.analyze({ path: 'e.yaml', text }, previous);
    reused += previous.resources.filter((r) => roots.has(r.root)).length;
    const incremental = linter.report([previous])[0].diagnostics;
    const fresh = linter.lint([{ path: 'e.yaml', text }])[0].diagnostics;
    assert.deepEqual(incremental, fresh, `edit ${i} at ${at}`);
  }
  assert.ok(reused > 60 * 4, `only ${reused} documents were reused`);
});
