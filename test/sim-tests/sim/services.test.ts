import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../sim/server';
import { call, recording } from './sim-client';

let sim: Simulator;
const base = '/api/v1/namespaces/svc';

interface Spec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  externalName?: string;
  selector?: Record<string, string>;
  ports?: { port: number; nodePort?: number }[];
}

function service(name: string, spec: Spec = {}) {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } };
}

function ipNumber(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

const rangeStart = ipNumber('10.96.0.0');
const rangeEnd = ipNumber('10.111.255.255');

before(async () => {
  sim = await startSimulator({ controllers: false });
  await call(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'svc' } } });
});
after(() => sim.stop());

test('a Service gets a free ClusterIP from the service range, with its IP family fields', async () => {
  const seen = new Set<string>();
  for (const name of ['a', 'b', 'c', 'd']) {
    const r = await call(sim, 'POST', `${base}/services`, { body: service(name) });
    assert.equal(r.status, 201, r.text);
    const spec = r.body.spec as Spec;
    const ip = spec.clusterIP ?? '';
    assert.ok(ipNumber(ip) > rangeStart && ipNumber(ip) < rangeEnd, `${ip} is inside 10.96.0.0/12`);
    assert.notEqual(ip, '10.96.0.1', 'the first address is the kubernetes Service\'s');
    assert.deepEqual(spec.clusterIPs, [ip]);
    assert.deepEqual(spec.ipFamilies, ['IPv4']);
    assert.equal(spec.ipFamilyPolicy, 'SingleStack');
    assert.ok(!seen.has(ip), 'every Service has its own');
    seen.add(ip);
  }
});

test('a requested ClusterIP is honoured when free; a taken one answers the recorded 422', async () => {
  const first = await call(sim, 'POST', `${base}/services`, { body: service('first') });
  const taken = first.body.spec.clusterIP as string;
  const dup = await call(sim, 'POST', `${base}/services`, { body: service('dup-ip', { clusterIP: taken }) });
  assert.equal(dup.status, 422);
  const expected = JSON.parse(JSON.stringify(recording('422-service-clusterip-taken.json')).replaceAll('10.96.189.219', taken));
  assert.deepEqual(dup.body, expected);

  // Freed on delete, then it can be asked for by name.
  assert.equal((await call(sim, 'DELETE', `${base}/services/first`)).status, 200);
  const reuse = await call(sim, 'POST', `${base}/services`, { body: service('dup-ip', { clusterIP: taken }) });
  assert.equal(reuse.status, 201, reuse.text);
  assert.deepEqual(reuse.body.spec.clusterIPs, [taken]);
});

test('a dry run checks the address but keeps nothing', async () => {
  const dry = await call(sim, 'POST', `${base}/services?dryRun=All`, { body: service('dry', { clusterIP: '10.96.0.77' }) });
  assert.equal(dry.status, 201, dry.text);
  const real = await call(sim, 'POST', `${base}/services`, { body: service('wet', { clusterIP: '10.96.0.77' }) });
  assert.equal(real.status, 201, real.text);
});

test('an address outside the range or not an address is refused as the API server words it', async () => {
  const outside = await call(sim, 'POST', `${base}/services`, { body: service('outside', { clusterIP: '10.0.0.5' }) });
  assert.equal(outside.status, 422);
  assert.equal(outside.body.message, 'Service "outside" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12');
  const garbage = await call(sim, 'POST', `${base}/services`, { body: service('garbage', { clusterIP: 'ten' }) });
  assert.equal(garbage.status, 422);
  assert.equal(garbage.body.message, 'Service "garbage" is invalid: spec.clusterIPs[0]: Invalid value: "ten": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)');
});

test('headless Services get None; selectorless ones ask for both families', async () => {
  const headless = await call(sim, 'POST', `${base}/services`, { body: service('headless', { clusterIP: 'None' }) });
  assert.equal(headless.status, 201, headless.text);
  assert.deepEqual([headless.body.spec.clusterIP, headless.body.spec.clusterIPs, headless.body.spec.ipFamilies, headless.body.spec.ipFamilyPolicy], ['None', ['None'], ['IPv4'], 'SingleStack']);
  const bare = await call(sim, 'POST', `${base}/services`, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bare' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } } });
  assert.equal(bare.status, 201, bare.text);
  assert.deepEqual([bare.body.spec.ipFamilies, bare.body.spec.ipFamilyPolicy], [['IPv4', 'IPv6'], 'RequireDualStack']);
});

test('the ClusterIP may not change; an update that leaves it out keeps it', async () => {
  const created = (await call(sim, 'POST', `${base}/services`, { body: service('stable') })).body;
  const ip = created.spec.clusterIP as string;
  const { clusterIP: _ip, clusterIPs: _ips, ...rest } = created.spec as Spec;
  const kept = await call(sim, 'PUT', `${base}/services/stable`, { body: { ...created, spec: { ...rest, ports: [{ port: 81 }] } } });
  assert.equal(kept.status, 200, kept.text);
  assert.deepEqual(kept.body.spec.clusterIPs, [ip]);
  const other = ip === '10.96.0.50' ? '10.96.0.51' : '10.96.0.50';
  const moved = await call(sim, 'PUT', `${base}/services/stable`, { body: { ...kept.body, spec: { ...kept.body.spec, clusterIP: other, clusterIPs: [other] } } });
  assert.equal(moved.status, 422);
  assert.equal(moved.body.message, `Service "stable" is invalid: spec.clusterIPs[0]: Invalid value: []string{"${other}"}: may not change once set`);
});

test('becoming an ExternalName releases the ClusterIP; becoming a ClusterIP Service again gets a new one', async () => {
  const created = (await call(sim, 'POST', `${base}/services`, { body: service('alias') })).body;
  const ip = created.spec.clusterIP as string;
  const patch = { spec: { type: 'ExternalName', externalName: 'alias.elsewhere.svc.cluster.local', selector: null } };
  const external = await call(sim, 'PATCH', `${base}/services/alias`, { body: patch, contentType: 'application/merge-patch+json' });
  assert.equal(external.status, 200, external.text);
  for (const field of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) assert.equal(external.body.spec[field], undefined, field);
  const claimed = await call(sim, 'POST', `${base}/services`, { body: service('claims-it', { clusterIP: ip }) });
  assert.equal(claimed.status, 201, `the released address is free again: ${claimed.text}`);
  const back = await call(sim, 'PATCH', `${base}/services/alias`, { body: { spec: { type: 'ClusterIP', externalName: null, selector: { app: 'alias' } } }, contentType: 'application/merge-patch+json' });
  assert.equal(back.status, 200, back.text);
  assert.match(back.body.spec.clusterIP, /^10\.(9[6-9]|10\d|11[01])\./);
  assert.notEqual(back.body.spec.clusterIP, ip);
});

test('an ExternalName Service may not ask for a ClusterIP', async () => {
  const r = await call(sim, 'POST', `${base}/services`, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com', clusterIP: '10.96.0.99' } } });
  assert.equal(r.status, 422);
  assert.equal(r.body.message, 'Service "ext" is invalid: spec.clusterIPs: Forbidden: may not be set for ExternalName services');
});

test('NodePort Services get a free node port from 30000-32767; a taken one is refused', async () => {
  const a = await call(sim, 'POST', `${base}/services`, { body: service('np-a', { type: 'NodePort' }) });
  assert.equal(a.status, 201, a.text);
  const port = a.body.spec.ports[0].nodePort as number;
  assert.ok(port >= 30000 && port <= 32767, String(port));
  const b = await call(sim, 'POST', `${base}/services`, { body: service('np-b', { type: 'NodePort', ports: [{ port: 80, nodePort: port }] }) });
  assert.equal(b.status, 422);
  assert.equal(b.body.message, `Service "np-b" is invalid: spec.ports[0].nodePort: Invalid value: ${port}: provided port is already allocated`);
});

test('seeded Services get addresses from the same range, never a shared one', () => {
  const [x, y] = sim.seed([
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'seed-x', namespace: 'svc' }, spec: { ports: [{ port: 80 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'seed-y', namespace: 'svc' }, spec: { ports: [{ port: 80 }] } },
  ]);
  const ipOf = (o: { spec?: unknown }) => (o.spec as Spec).clusterIP ?? '';
  assert.notEqual(ipOf(x), ipOf(y));
  assert.match(ipOf(x), /^10\./);
});
