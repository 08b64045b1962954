import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { createPodRuntime, type ProcessPodRuntime } from '../../sim/runtime/index';
import { startSimulator, type Simulator } from '../../sim/server';
import { call } from '../sim/sim-client';
import { PortForwardClient } from './portForwardClient';

const ns = 'default';
const podPath = `/api/v1/namespaces/${ns}/pods`;

const server = `
const http = require('node:http');
let hits = 0;
http.createServer((req, res) => {
  hits++;
  console.log('request ' + hits + ' ' + req.url);
  res.end('hello from ' + process.env.POD_NAME + '\\n');
}).listen(8080, () => console.log('listening'));
`;

interface PodView {
  status?: { phase?: string; conditions?: { type: string; status: string }[]; containerStatuses?: { restartCount: number; lastState: { terminated?: { exitCode: number } } }[] };
}

async function podUntil(sim: Simulator, name: string, test: (pod: PodView) => boolean, timeoutMs = 10_000): Promise<PodView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await call(sim, 'GET', `${podPath}/${name}`);
    const pod = answer.body as PodView;
    if (answer.status === 200 && test(pod)) return pod;
    if (Date.now() > deadline) throw new Error(`pod ${name} did not get there in ${timeoutMs} ms: ${answer.text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ready = (pod: PodView) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Follows the pod's log over HTTPS; `text()` is what arrived so far, `ended` resolves when the server ends it. */
function follow(sim: Simulator, name: string): { text(): string; ended: Promise<void> } {
  let text = '';
  const ended = new Promise<void>((resolve, reject) => {
    const req = request(`${sim.url}${podPath}/${name}/log?follow=true`, { ca: sim.caPem, headers: { Authorization: `Bearer ${sim.token}` } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  return { text: () => text, ended };
}

async function httpThroughForward(sim: Simulator, name: string): Promise<string> {
  const client = await PortForwardClient.open(sim.url, ns, name, [8080], { headers: { Authorization: `Bearer ${sim.token}` }, ca: sim.caPem });
  client.send(0, 'GET /through-forward HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n');
  await client.closed;
  return client.text(0);
}

test('through the API server: a ConfigMap script pod runs, port-forwards, logs, restarts, and forwards are cut', async (t) => {
  let runtime: ProcessPodRuntime | undefined;
  const sim = await startSimulator({
    runtime: (cluster) => (runtime = createPodRuntime(cluster, { backoff: { baseMs: 200, maxMs: 400 } })),
    timings: { reconcileMs: 5, scheduleMs: 20, startMs: 50, readyMs: 50, terminateMs: 50 },
  });
  t.after(() => sim.stop());

  assert.equal((await call(sim, 'POST', `/api/v1/namespaces/${ns}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-script' }, data: { 'server.js': server } } })).status, 201);
  const created = await call(sim, 'POST', podPath, {
    body: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        nodeName: 'node-1',
        containers: [
          {
            name: 'web',
            image: 'node:22-alpine',
            command: ['node', '/opt/web/server.js'],
            ports: [{ containerPort: 8080 }],
            env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            volumeMounts: [{ name: 'script', mountPath: '/opt/web' }],
          },
        ],
        volumes: [{ name: 'script', configMap: { name: 'web-script' } }],
      },
    },
  });
  assert.equal(created.status, 201, created.text);
  const running = await podUntil(sim, 'web', (p) => p.status?.phase === 'Running' && ready(p));
  assert.equal(running.status?.containerStatuses?.[0].restartCount, 0);

  const logs = follow(sim, 'web');
  const response = await httpThroughForward(sim, 'web');
  assert.match(response, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nhello from web\n$/);
  for (let i = 0; i < 100 && !logs.text().includes('request 1 /through-forward'); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(logs.text(), 'listening\nrequest 1 /through-forward\n');

  const [pid] = runtime!.podPids(ns, 'web');
  process.kill(pid, 'SIGKILL');
  await logs.ended;
  const restarted = await podUntil(sim, 'web', (p) => (p.status?.containerStatuses?.[0].restartCount ?? 0) >= 1 && ready(p));
  assert.equal(restarted.status?.containerStatuses?.[0].lastState.terminated?.exitCode, 137);
  const previous = await call(sim, 'GET', `${podPath}/web/log?previous=true`);
  assert.equal(previous.text, 'listening\nrequest 1 /through-forward\n');
  assert.match(await httpThroughForward(sim, 'web'), /hello from web\n$/);

  const open = await PortForwardClient.open(sim.url, ns, 'web', [8080], { headers: { Authorization: `Bearer ${sim.token}` }, ca: sim.caPem });
  sim.faults.cutPortForwards();
  assert.equal(await open.closed, 1006);

  assert.equal((await call(sim, 'DELETE', `${podPath}/web`)).status, 200);
  await runtime!.settled();
  for (let i = 0; i < 100 && runtime!.podPids(ns, 'web').length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(runtime!.podPids(ns, 'web'), []);
  assert.throws(() => process.kill(pid, 0));
});

const whoami = `
const fs = require('node:fs');
const https = require('node:https');
const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
const token = fs.readFileSync(dir + '/token', 'utf8');
const ns = fs.readFileSync(dir + '/namespace', 'utf8');
https.get({
  host: process.env.KUBERNETES_SERVICE_HOST,
  port: process.env.KUBERNETES_SERVICE_PORT,
  path: '/api/v1/namespaces/' + ns + '/pods/' + process.env.HOSTNAME,
  ca: fs.readFileSync(dir + '/ca.crt'),
  headers: { Authorization: 'Bearer ' + token },
}, (res) => {
  let body = '';
  res.on('data', (c) => (body += c));
  res.on('end', () => console.log(res.statusCode + ' ' + JSON.parse(body).metadata.name));
}).on('error', (e) => { console.log('error ' + e.message); process.exitCode = 1; });
`;

test('through the API server: a process pod reaches the API with its mounted service account', async (t) => {
  const started: Simulator = await startSimulator({
    runtime: (cluster) =>
      createPodRuntime(cluster, { apiServer: () => ({ host: '127.0.0.1', port: started.port, caPem: started.caPem, token: started.token }) }),
    timings: { reconcileMs: 5, scheduleMs: 20, startMs: 50, readyMs: 50, terminateMs: 50 },
  });
  t.after(() => started.stop());
  await call(started, 'POST', `/api/v1/namespaces/${ns}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'whoami' }, data: { 'whoami.js': whoami } } });
  const created = await call(started, 'POST', podPath, {
    body: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'whoami' },
      spec: {
        nodeName: 'node-1',
        restartPolicy: 'Never',
        containers: [{ name: 'c', image: 'node:22-alpine', command: ['node', '/app/whoami.js'], volumeMounts: [{ name: 'code', mountPath: '/app' }] }],
        volumes: [{ name: 'code', configMap: { name: 'whoami' } }],
      },
    },
  });
  assert.equal(created.status, 201, created.text);
  await podUntil(started, 'whoami', (p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed');
  assert.equal((await call(started, 'GET', `${podPath}/whoami/log`)).text, '200 whoami\n');
});
