import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPodRuntime, type PodRuntimeOptions } from '../../sim/runtime/index';
import { FakeCluster } from './fakeCluster';
import { getLog, startRuntimeServer } from './runtimeServer';
import { containerStatus, isReady, nodePod, scriptConfigMap, statusOf } from './podFixtures';
import { processAlive } from '../../processAlive';

const scripts = {
  'web.js': `
const http = require('node:http');
console.log('env', JSON.stringify({ greeting: process.env.GREETING, fromCm: process.env.FROM_CM, fromSecret: process.env.FROM_SECRET,
  pod: process.env.POD_NAME, ns: process.env.POD_NS, mode: process.env.CFG_mode, expanded: process.env.EXPANDED, cwd: process.cwd() }));
const server = http.createServer((req, res) => res.end('hello\\n'));
server.listen(8080, () => console.log('listening'));
process.on('SIGTERM', () => { console.log('bye'); server.close(); process.exit(0); });
`,
  'crash.js': `console.log('starting'); console.error('fatal: config missing'); process.exit(3);`,
  'done.js': `console.log('work done');`,
  'stubborn.js': `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
console.log('pids', process.pid, child.pid);
setInterval(() => {}, 1000);
`,
};

function setup(options: PodRuntimeOptions = {}) {
  const tempRoot = mkdtempSync(join(tmpdir(), 'tether-runtime-test-'));
  const cluster = new FakeCluster();
  const runtime = createPodRuntime(cluster, { tempRoot, backoff: { baseMs: 100, maxMs: 400 }, maxGraceMs: 500, ...options });
  cluster.add(scriptConfigMap('app', scripts));
  const cleanup = () => {
    runtime.dispose();
    cluster.dispose();
    rmSync(tempRoot, { recursive: true, force: true });
  };
  return { cluster, runtime, tempRoot, cleanup };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('claims only pods whose containers run node on a script from a ConfigMap volume', (t) => {
  const { runtime, cleanup } = setup();
  t.after(cleanup);
  assert.equal(runtime.claims(nodePod({ name: 'a', configMap: 'app', script: 'web.js' })), true);
  const busybox = nodePod({ name: 'b', configMap: 'app' });
  (busybox.spec as { containers: { command: string[] }[] }).containers[0].command = ['sh', '-c', 'sleep 1'];
  assert.equal(runtime.claims(busybox), false);
  const outside = nodePod({ name: 'c', configMap: 'app' });
  (outside.spec as { containers: { command: string[] }[] }).containers[0].command = ['node', '/srv/main.js'];
  assert.equal(runtime.claims(outside), false);
  const entrypoint = nodePod({ name: 'd', configMap: 'app' });
  const spec = entrypoint.spec as { containers: { command?: string[]; args?: string[]; image: string }[] };
  spec.containers[0].command = undefined;
  spec.containers[0].args = ['/opt/app/main.js'];
  assert.equal(runtime.claims(entrypoint), true, 'a node image runs node on bare args');
  spec.containers[0].image = 'busybox:1.36';
  assert.equal(runtime.claims(entrypoint), false);
  const inline = nodePod({ name: 'e', configMap: 'app' });
  (inline.spec as { containers: { command: string[] }[] }).containers[0].command = ['node', '-e', 'console.log(1)'];
  assert.equal(runtime.claims(inline), true, 'node runs code from its command line');
});

test('node -e: the code runs as the container, with its arguments, log and exit code', async (t) => {
  const { cluster, runtime, cleanup } = setup();
  t.after(cleanup);
  const pod = nodePod({ name: 'inline', configMap: 'app', restartPolicy: 'Never' });
  const container = (pod.spec as { containers: { command: string[]; args?: string[] }[] }).containers[0];
  container.command = ['node', '-e', "console.log('args', process.argv.slice(1).join(' ')); console.error('fatal: config missing'); process.exit(3)"];
  container.args = ['one', 'two'];
  runtime.start(cluster.add(pod));
  const failed = await cluster.waitFor('Pod', 'default', 'inline', (p) => statusOf(p).phase === 'Failed');
  assert.equal(containerStatus(failed)!.state.terminated?.exitCode, 3);
  const server = await startRuntimeServer(cluster, runtime);
  t.after(() => server.close());
  const log = await getLog(server, 'default', 'inline');
  assert.match(log.body, /args one two/);
  assert.match(log.body, /fatal: config missing/);
});

test('runs a pod as a process: env resolved, Running, Ready once it listens, kubelet events', async (t) => {
  const { cluster, runtime, cleanup } = setup();
  t.after(cleanup);
  cluster.add({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default', uid: '', resourceVersion: '' }, data: { mode: 'fast', key: 'from-cm' } });
  cluster.add({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec', namespace: 'default', uid: '', resourceVersion: '' }, data: { token: Buffer.from('s3cret').toString('base64') } });
  const pod = cluster.add(
    nodePod({
      name: 'web',
      configMap: 'app',
      script: 'web.js',
      ports: [8080],
      workingDir: '/work',
      envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
      env: [
        { name: 'GREETING', value: 'hi' },
        { name: 'EXPANDED', value: '$(GREETING)-there' },
        { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'key' } } },
        { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'sec', key: 'token' } } },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'POD_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      ],
    }),
  );
  assert.ok(runtime.claims(pod));
  runtime.start(pod);
  const ready = await cluster.waitFor('Pod', 'default', 'web', isReady);
  const status = statusOf(ready);
  assert.equal(status.phase, 'Running');
  assert.match(status.podIP ?? '', /^10\.244\./);
  const app = containerStatus(ready)!;
  assert.equal(app.ready, true);
  assert.equal(app.restartCount, 0);
  assert.ok(app.state.running?.startedAt);
  const target = runtime.resolvePodPort('default', 'web', 8080);
  assert.ok(target && target.port !== 8080 && target.host === '127.0.0.1');
  const reasons = cluster.events.map((e) => e.reason);
  assert.deepEqual(reasons.slice(0, 3), ['Pulled', 'Created', 'Started']);
  const server = await startRuntimeServer(cluster, runtime);
  t.after(() => server.close());
  const envLine = (await getLog(server, 'default', 'web')).body.split('\n').find((l) => l.startsWith('env '))!;
  const env = JSON.parse(envLine.slice(4)) as Record<string, string>;
  assert.deepEqual(
    { ...env, cwd: env.cwd.endsWith('/rootfs/app/work') ? '<rootfs>/work' : env.cwd },
    { greeting: 'hi', fromCm: 'from-cm', fromSecret: 's3cret', pod: 'web', ns: 'default', mode: 'fast', expanded: 'hi-there', cwd: '<rootfs>/work' },
  );
  runtime.stop('default', 'web');
  await runtime.settled();
});

test('a crashing container restarts with CrashLoopBackOff, restartCount and lastState', async (t) => {
  const { cluster, runtime, cleanup } = setup();
  t.after(cleanup);
  const pod = cluster.add(nodePod({ name: 'crash', configMap: 'app', script: 'crash.js' }));
  runtime.start(pod);
  const crashed = await cluster.waitFor('Pod', 'default', 'crash', (p) => (containerStatus(p)?.restartCount ?? 0) >= 2);
  const app = containerStatus(crashed)!;
  assert.equal(app.lastState.terminated?.exitCode, 3);
  assert.equal(app.lastState.terminated?.reason, 'Error');
  assert.equal(statusOf(crashed).phase, 'Running');
  const waiting = await cluster.waitFor('Pod', 'default', 'crash', (p) => containerStatus(p)?.state.waiting?.reason === 'CrashLoopBackOff');
  assert.match(String(containerStatus(waiting)!.state.waiting!.message), /^back-off \d+s restarting failed container=app pod=crash_default\(/);
  assert.ok(cluster.events.some((e) => e.reason === 'BackOff' && e.type === 'Warning'));
  assert.ok(cluster.events.filter((e) => e.reason === 'Started').length >= 3, 'every run is Pulled, Created and Started again');
});

test('restartPolicy Never: exit 0 -> Succeeded, exit 3 -> Failed; OnFailure restarts only failures', async (t) => {
  const { cluster, runtime, cleanup } = setup();
  t.after(cleanup);
  for (const [name, script, policy] of [['ok', 'done.js', 'Never'], ['bad', 'crash.js', 'Never'], ['retry', 'crash.js', 'OnFailure'], ['once', 'done.js', 'OnFailure']] as const) {
    runtime.start(cluster.add(nodePod({ name, configMap: 'app', script, restartPolicy: policy })));
  }
  const ok = await cluster.waitFor('Pod', 'default', 'ok', (p) => statusOf(p).phase === 'Succeeded');
  assert.equal(containerStatus(ok)!.state.terminated?.reason, 'Completed');
  const bad = await cluster.waitFor('Pod', 'default', 'bad', (p) => statusOf(p).phase === 'Failed');
  assert.equal(containerStatus(bad)!.state.terminated?.exitCode, 3);
  await cluster.waitFor('Pod', 'default', 'retry', (p) => (containerStatus(p)?.restartCount ?? 0) >= 1);
  await cluster.waitFor('Pod', 'default', 'once', (p) => statusOf(p).phase === 'Succeeded');
  assert.equal(containerStatus(cluster.get('Pod', 'default', 'once')!)!.restartCount, 0);
});

test('a missing ConfigMap key reference leaves the container in CreateContainerConfigError', async (t) => {
  const { cluster, runtime, cleanup } = setup();
  t.after(cleanup);
  const pod = cluster.add(
    nodePod({ name: 'cfgerr', configMap: 'app', script: 'done.js', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }),
  );
  runtime.start(pod);
  const stuck = await cluster.waitFor('Pod', 'default', 'cfgerr', (p) => containerStatus(p)?.state.waiting?.reason === 'CreateContainerConfigError');
  assert.equal(containerStatus(stuck)!.state.waiting!.message, 'configmap "nope" not found');
  assert.equal(statusOf(stuck).phase, 'Pending');
});

test('stop kills the whole process tree (SIGKILL after the capped grace period) and removes the pod folder', async (t) => {
  const { cluster, runtime, tempRoot, cleanup } = setup({ maxGraceMs: 300 });
  t.after(cleanup);
  const pod = cluster.add(nodePod({ name: 'stubborn', configMap: 'app', script: 'stubborn.js', terminationGracePeriodSeconds: 30 }));
  const server = await startRuntimeServer(cluster, runtime);
  t.after(() => server.close());
  runtime.start(pod);
  await cluster.waitFor('Pod', 'default', 'stubborn', isReady);
  const [runtimeFolder] = readdirSync(tempRoot);
  await until(() => readdirSync(join(tempRoot, runtimeFolder)).some((f) => f.startsWith('default_stubborn_')));
  const pids = runtime.podPids('default', 'stubborn');
  assert.equal(pids.length, 1);
  let pidLine: string | undefined;
  while (!pidLine) {
    pidLine = (await getLog(server, 'default', 'stubborn')).body.split('\n').find((l) => l.startsWith('pids'));
    await new Promise((r) => setTimeout(r, 20));
  }
  const [, parentPid, childPid] = pidLine.split(' ').map(Number);
  assert.equal(parentPid, pids[0]);
  assert.ok(processAlive(childPid));
  const started = Date.now();
  runtime.stop('default', 'stubborn');
  await runtime.settled();
  assert.ok(Date.now() - started >= 250, 'SIGTERM was ignored, so SIGKILL came after the grace period');
  await until(() => !processAlive(parentPid) && !processAlive(childPid));
  assert.deepEqual(readdirSync(join(tempRoot, runtimeFolder)).filter((f) => f.startsWith('default_stubborn_')), []);
  const final = cluster.get('Pod', 'default', 'stubborn')!;
  assert.ok(containerStatus(final)!.state.terminated, 'final status shows the container terminated');
});

test('dispose leaves no process and no temp folder behind', async () => {
  const { cluster, runtime, tempRoot, cleanup } = setup();
  for (const name of ['w1', 'w2']) runtime.start(cluster.add(nodePod({ name, configMap: 'app', script: 'web.js', ports: [8080] })));
  await cluster.waitFor('Pod', 'default', 'w1', isReady);
  await cluster.waitFor('Pod', 'default', 'w2', isReady);
  const pids = [...runtime.podPids('default', 'w1'), ...runtime.podPids('default', 'w2')];
  assert.equal(pids.length, 2);
  runtime.dispose();
  assert.deepEqual(readdirSync(tempRoot), []);
  await until(() => pids.every((pid) => !processAlive(pid)));
  cleanup();
});

test('volumes: data, binaryData, items and subPath are readable at their container paths', async (t) => {
  const { cluster, runtime, cleanup } = setup();
  t.after(cleanup);
  const server = await startRuntimeServer(cluster, runtime);
  t.after(() => server.close());
  cluster.add({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'files', namespace: 'default', uid: '', resourceVersion: '' },
    data: { 'settings.json': '{"mode":"fast"}' },
    binaryData: { 'blob.bin': Buffer.from([0, 1, 2, 255]).toString('base64') },
  });
  cluster.add(scriptConfigMap('reader', {
    'read.js': `
const fs = require('node:fs');
const settings = JSON.parse(fs.readFileSync('/etc/app/conf/settings.json', 'utf8'));
const blob = fs.readFileSync('/etc/app/blob/renamed.bin');
const single = fs.readFileSync('/etc/single.json', 'utf8');
fs.promises.readdir('/etc/app/conf').then((names) => console.log(settings.mode, blob.toString('hex'), single, names.join(',')));`,
  }));
  const pod = cluster.add({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'reader', namespace: 'default', uid: '', resourceVersion: '' },
    spec: {
      nodeName: 'node-1',
      restartPolicy: 'Never',
      containers: [
        {
          name: 'app',
          image: 'node:22-alpine',
          command: ['node', '/opt/app/read.js'],
          volumeMounts: [
            { name: 'code', mountPath: '/opt/app' },
            { name: 'conf', mountPath: '/etc/app/conf' },
            { name: 'blob', mountPath: '/etc/app/blob' },
            { name: 'conf', mountPath: '/etc/single.json', subPath: 'settings.json' },
          ],
        },
      ],
      volumes: [
        { name: 'code', configMap: { name: 'reader' } },
        { name: 'conf', configMap: { name: 'files' } },
        { name: 'blob', configMap: { name: 'files', items: [{ key: 'blob.bin', path: 'renamed.bin' }] } },
      ],
    },
  });
  runtime.start(pod);
  await cluster.waitFor('Pod', 'default', 'reader', (p) => statusOf(p).phase === 'Succeeded' || statusOf(p).phase === 'Failed');
  assert.equal((await getLog(server, 'default', 'reader')).body, 'fast 000102ff {"mode":"fast"} blob.bin,settings.json\n');
});

test('stopping a pod in CrashLoopBackOff ends its restarts and leaves the last run as its final state', async (t) => {
  const { cluster, runtime, cleanup } = setup({ backoff: { baseMs: 300, maxMs: 300 } });
  t.after(cleanup);
  runtime.start(cluster.add(nodePod({ name: 'loop', configMap: 'app', script: 'crash.js' })));
  await cluster.waitFor('Pod', 'default', 'loop', (p) => containerStatus(p)?.state.waiting?.reason === 'CrashLoopBackOff');
  runtime.stop('default', 'loop');
  await runtime.settled();
  const stopped = containerStatus(cluster.get('Pod', 'default', 'loop')!)!;
  assert.equal(stopped.state.terminated?.exitCode, 3);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(containerStatus(cluster.get('Pod', 'default', 'loop')!)!.restartCount, stopped.restartCount, 'no restart after stop');
  assert.deepEqual(runtime.podPids('default', 'loop'), []);
});
