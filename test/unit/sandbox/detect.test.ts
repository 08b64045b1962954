import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { imageName, proposeSpec, type SpecProposal } from '../../../src/sandbox/detect';
import { parseSpec } from '../../../src/sandbox/spec';

const baseline = { path: 'deploy/shop.yaml', objects: parseAllDocuments(readFileSync(join(__dirname, '../../fixtures/sandbox/baseline.yaml'), 'utf8')).map((d) => d.toJS() as unknown) };

function proposal(result: ReturnType<typeof proposeSpec>): SpecProposal {
  assert.ok('spec' in result, 'reason' in result ? result.reason : '');
  return result;
}

test('the Deployment named like the folder, its Service and the local port', () => {
  const p = proposal(proposeSpec({ folderName: 'Web', manifests: [baseline], localPorts: [5173, 3000] }));
  assert.deepEqual(p.source, { path: 'deploy/shop.yaml', name: 'web' });
  assert.deepEqual(p.spec.forks[0], { workload: { kind: 'Deployment', name: 'web' }, mode: 'local', env: {}, ports: [{ port: 3000 }] });
  assert.deepEqual(p.spec.preview, { service: 'web', path: '/', port: 80 });
  assert.equal(p.spec.baseline.namespace, 'shop');
  assert.match(p.reasons.join(' '), /workspace folder's name "web"/);
  // The text is a valid tether.yaml that parses back to the same spec.
  assert.deepEqual(parseSpec(p.text), { spec: p.spec, diagnostics: [] });
});

test('matching by image, a different local port, and the fallback', () => {
  const p = proposal(proposeSpec({ folderName: 'statsd-exporter', manifests: [baseline], localPorts: [9102] }));
  assert.equal(p.source.name, 'api');
  assert.deepEqual(p.spec.forks[0].ports, [{ port: 8080, localPort: 9102 }]);
  assert.match(p.reasons[0], /image "statsd-exporter"/);
  assert.deepEqual(parseSpec(p.text).diagnostics, []);
  const fallback = proposal(proposeSpec({ folderName: 'unrelated', manifests: [baseline] }));
  assert.equal(fallback.source.name, 'api');
  assert.match(fallback.reasons[0], /the first one found/);
  assert.equal(fallback.spec.name, 'unrelated');
});

test('no manifests: a reason instead of a guess', () => {
  assert.match((proposeSpec({ folderName: 'x', manifests: [] }) as { reason: string }).reason, /no Kubernetes manifests/);
  assert.match((proposeSpec({ folderName: 'x', manifests: [{ path: 'a.yaml', objects: [{ kind: 'ConfigMap' }, null, 'text'] }] }) as { reason: string }).reason, /none of the 1 manifest/);
  assert.equal(imageName('ghcr.io/acme/shop-api:1.2@sha256:abc'), 'shop-api');
});

test('a StatefulSet named like the folder is proposed as a StatefulSet fork, with its headless Service', () => {
  const stateful = { path: 'deploy/db.yaml', objects: parseAllDocuments(readFileSync(join(__dirname, '../../fixtures/sandbox/stateful-baseline.yaml'), 'utf8')).map((d) => d.toJS() as unknown) };
  const p = proposal(proposeSpec({ folderName: 'db', manifests: [stateful] }));
  assert.deepEqual(p.spec.forks[0].workload, { kind: 'StatefulSet', name: 'db' });
  assert.match(p.reasons[0], /^Forks StatefulSet "db" from deploy\/db.yaml/);
  assert.equal(p.spec.preview?.service, 'db');
  assert.deepEqual(parseSpec(p.text), { spec: p.spec, diagnostics: [] });
  assert.match((proposeSpec({ folderName: 'x', manifests: [{ path: 'a.yaml', objects: [{ kind: 'DaemonSet', metadata: { name: 'x' } }] }] }) as { reason: string }).reason, /holds a Deployment or StatefulSet/);
});
