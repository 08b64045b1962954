/**
 * kubectl, the reference client, against the simulator: an independent check that the simulator
 * answers like a real API server for what kubectl does over JSON (discovery, get, server-side apply
 * with field ownership, the three patch types, watch, logs, explain from OpenAPI v3, rollout,
 * delete). kubectl sends protobuf for some typed writes (create, auth can-i), which the simulator
 * refuses with 415 as a real server refuses a format it does not speak. Skipped, saying so, on a
 * machine without kubectl.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../sim/server';
import { call } from './sim-client';

const kubectlMissing = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status !== 0;
const skip = kubectlMissing ? 'kubectl is not installed (apt-get install kubectl, or put it on PATH)' : false;
const fast = { reconcileMs: 5, scheduleMs: 10, startMs: 30, readyMs: 30, jobRunMs: 80, crashBackoffMs: 80, terminateMs: 30 };

let sim: Simulator;
let dir: string;

before(async () => {
  if (skip) return;
  sim = await startSimulator({ timings: fast });
  sim.seed([{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } }, status: { capacity: { cpu: '8', memory: '32Gi', pods: '110' }, allocatable: { cpu: '8', memory: '32Gi', pods: '110' } } }]);
  await call(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'kc' } } });
  dir = mkdtempSync(join(tmpdir(), 'tether-kubectl-'));
});
after(() => {
  if (skip) return;
  rmSync(dir, { recursive: true, force: true });
  return sim.stop();
});

interface Run {
  code: number;
  out: string;
  err: string;
}

function kubectl(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', sim.kubeconfigPath, '--request-timeout=20s', ...args], { timeout: 30_000, env: { ...process.env, KUBECONFIG: '' } }, (err, out, errText) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out, err: errText });
    });
  });
}

async function ok(...args: string[]): Promise<string> {
  const r = await kubectl(...args);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.err}`);
  return r.out;
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: kc, labels: { app: web } }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: "${image}" }]
`;

test('discovery: api-resources lists the built-in groups with their short names and scopes', { skip }, async () => {
  const out = await ok('api-resources', '--no-headers');
  const rows = new Map(out.trim().split('\n').map((line) => [line.split(/\s+/)[0], line]));
  assert.match(rows.get('pods') ?? '', /^pods\s+po\s+v1\s+true\s+Pod$/);
  assert.match(rows.get('deployments') ?? '', /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/);
  assert.match(rows.get('nodes') ?? '', /^nodes\s+no\s+v1\s+false\s+Node$/);
});

test('server-side apply: kubectl applies, a second manager conflicts on a field it does not own, --force-conflicts takes it', { skip }, async () => {
  const path = file('web.yaml', deployment('nginx:1.27'));
  assert.match(await ok('apply', '--server-side', '-f', path), /deployment\.apps\/web serverside-applied/);
  const other = file('web-other.yaml', deployment('nginx:1.28'));
  const conflict = await kubectl('apply', '--server-side', '--field-manager', 'ci', '-f', other);
  assert.notEqual(conflict.code, 0);
  assert.match(conflict.err, /Apply failed with 1 conflict: conflict with "kubectl" using apps\/v1: \.spec\.template\.spec\.containers\[name="web"\]\.image/);
  await ok('apply', '--server-side', '--field-manager', 'ci', '--force-conflicts', '-f', other);
  const managed = JSON.parse(await ok('get', 'deployment', 'web', '-n', 'kc', '-o', 'json', '--show-managed-fields')) as { metadata: { managedFields: { manager: string; operation: string }[] }; spec: { template: { spec: { containers: { image: string }[] } } } };
  assert.equal(managed.spec.template.spec.containers[0].image, 'nginx:1.28');
  assert.deepEqual(managed.metadata.managedFields.filter((f) => f.operation === 'Apply').map((f) => f.manager).sort(), ['ci', 'kubectl']);
});

test('rollout status waits for the Deployment, logs read a pod, get -o json lists what the controllers made', { skip }, async () => {
  file('roll.yaml', deployment('nginx:1.27').replace('name: web,', 'name: roll,').replaceAll('app: web', 'app: roll'));
  await ok('apply', '--server-side', '-f', join(dir, 'roll.yaml'));
  assert.match(await ok('rollout', 'status', 'deployment/roll', '-n', 'kc', '--timeout=20s'), /deployment "roll" successfully rolled out/);
  const pods = JSON.parse(await ok('get', 'pods', '-n', 'kc', '-l', 'app=roll', '-o', 'json')) as { kind: string; items: { metadata: { name: string }; status: { phase: string } }[] };
  assert.equal(pods.kind, 'List');
  assert.equal(pods.items.length, 2);
  assert.ok(pods.items.every((p) => p.status.phase === 'Running'));
  const log = await ok('logs', '-n', 'kc', pods.items[0].metadata.name, '--tail=5');
  assert.ok(log.trim().length > 0, 'the pod has log lines');
});

test('merge, JSON and strategic-merge patches from kubectl', { skip }, async () => {
  await ok('apply', '--server-side', '-f', file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: kc }\ndata: { a: "1" }\n'));
  await ok('patch', 'configmap', 'settings', '-n', 'kc', '--type', 'merge', '-p', '{"data":{"b":"2"}}');
  await ok('patch', 'configmap', 'settings', '-n', 'kc', '--type', 'json', '-p', '[{"op":"remove","path":"/data/a"}]');
  await ok('patch', 'deployment', 'web', '-n', 'kc', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"MODE","value":"x"}]}]}}}}');
  const cm = JSON.parse(await ok('get', 'configmap', 'settings', '-n', 'kc', '-o', 'json')) as { data: Record<string, string> };
  assert.deepEqual(cm.data, { b: '2' });
  const web = JSON.parse(await ok('get', 'deployment', 'web', '-n', 'kc', '-o', 'json')) as { spec: { template: { spec: { containers: { name: string; image: string; env?: unknown[] }[] } } } };
  const [container] = web.spec.template.spec.containers;
  assert.equal(container.image, 'nginx:1.28', 'a strategic merge keeps what the patch does not name');
  assert.deepEqual(container.env, [{ name: 'MODE', value: 'x' }]);
});

test('get --watch streams ADDED and DELETED events as they happen', { skip }, async () => {
  const watcher = spawn('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'get', 'configmaps', '-n', 'kc', '--watch', '--output-watch-events', '-o', 'jsonpath={.type} {.object.metadata.name}{"\\n"}'], { env: { ...process.env, KUBECONFIG: '' } });
  let seen = '';
  watcher.stdout.on('data', (chunk: Buffer) => (seen += chunk.toString()));
  const waitFor = async (line: string) => {
    for (let i = 0; i < 200 && !seen.includes(line); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(seen.includes(line), `"${line}" in ${JSON.stringify(seen)}`);
  };
  try {
    await waitFor('ADDED settings');
    await ok('apply', '--server-side', '-f', file('late.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: late, namespace: kc }\n'));
    await waitFor('ADDED late');
    await ok('delete', 'configmap', 'late', '-n', 'kc');
    await waitFor('DELETED late');
  } finally {
    watcher.kill();
  }
});

test('explain reads the OpenAPI v3 documents', { skip }, async () => {
  const out = await ok('explain', 'deployment.spec.replicas');
  assert.match(out, /KIND:\s+Deployment/);
  assert.match(out, /FIELD:\s+replicas <integer>/);
});

test('delete cascades from the Deployment to its pods; a protobuf body is refused with 415, not misread', { skip }, async () => {
  await ok('delete', 'deployment', 'roll', '-n', 'kc', '--wait=true', '--timeout=20s');
  for (let i = 0; i < 100 && (await ok('get', 'pods', '-n', 'kc', '-l', 'app=roll', '-o', 'name')).trim() !== ''; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal((await ok('get', 'pods', '-n', 'kc', '-l', 'app=roll', '-o', 'name')).trim(), '');
  const created = await kubectl('create', 'configmap', 'typed', '-n', 'kc', '--from-literal=a=b');
  assert.notEqual(created.code, 0);
  assert.match(created.err, /unknown format .*got application\/vnd\.kubernetes\.protobuf/);
});
