import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { KubeClient } from '../../../src/kube/api';
import { loadKubeconfig } from '../../../src/kube/config';
import { ExplainedError } from '../../../src/kube/errors';
import { openPortForward } from '../../../src/kube/portforward';
import { createPodRuntime } from '../../sim/runtime/index';
import { startSimulator } from '../../sim/server';

const echo = "require('node:net').createServer((s) => s.pipe(s)).listen(7000, '127.0.0.1');";

async function setup(t: { after(fn: () => unknown): void }) {
  const sim = await startSimulator({
    runtime: (cluster) => createPodRuntime(cluster),
    timings: { reconcileMs: 5, scheduleMs: 10, startMs: 20, readyMs: 20, terminateMs: 20 },
    users: [{ name: 'jane', denials: [{ verb: 'create', resource: 'pods', subresource: 'portforward' }] }],
  });
  const config = loadKubeconfig({ KUBECONFIG: sim.kubeconfigPath });
  const admin = KubeClient.forContext(config, sim.context);
  const jane = KubeClient.forContext(config, sim.contextOf('jane'));
  t.after(async () => {
    admin.dispose();
    jane.dispose();
    await sim.stop();
  });
  await admin.request({ what: 'script', method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'echo' }, data: { 'echo.js': echo } } });
  await admin.request({
    what: 'pod',
    method: 'POST',
    path: '/api/v1/namespaces/default/pods',
    body: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'echo' },
      spec: {
        nodeName: 'node-1',
        containers: [{ name: 'app', image: 'node:22-alpine', command: ['node', '/opt/app/echo.js'], ports: [{ containerPort: 7000 }], volumeMounts: [{ name: 'app', mountPath: '/opt/app' }] }],
        volumes: [{ name: 'app', configMap: { name: 'echo' } }],
      },
    },
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const pod = await admin.request<{ status?: { conditions?: { type: string; status: string }[] } }>({ what: 'pod', path: '/api/v1/namespaces/default/pods/echo' });
    if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) break;
    if (Date.now() > deadline) throw new Error('echo pod never became ready');
    await new Promise((r) => setTimeout(r, 50));
  }
  return { sim, admin, jane };
}

test('through the simulator: 8 MB echoed byte for byte over a pod-local port', async (t) => {
  const { admin } = await setup(t);
  const stream = await openPortForward(admin, 'default', 'echo', 7000);
  t.after(() => stream.destroy());
  const payload = randomBytes(8 * 1024 * 1024);
  const hash = createHash('sha256');
  let received = 0;
  const done = new Promise<void>((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      received += chunk.length;
      if (received === payload.length) resolve();
    });
  });
  for (let i = 0; i < payload.length; i += 256 * 1024) {
    if (!stream.write(payload.subarray(i, i + 256 * 1024))) await new Promise((r) => stream.once('drain', r));
  }
  await done;
  assert.equal(hash.digest('hex'), createHash('sha256').update(payload).digest('hex'));
});

test('through the simulator: a port nothing listens on, and a user without create on pods/portforward', async (t) => {
  const { admin, jane } = await setup(t);
  const stream = await openPortForward(admin, 'default', 'echo', 7999);
  const err = await new Promise<Error>((resolve) => stream.once('error', resolve));
  assert.ok(err instanceof ExplainedError);
  assert.equal(err.reason, 'Unreachable');
  assert.match(err.why, /nothing listens on port 7999 inside pod "echo"/);

  const refused = await openPortForward(jane, 'default', 'echo', 7000).catch((e: unknown) => e);
  assert.ok(refused instanceof ExplainedError);
  assert.equal(refused.reason, 'Forbidden');
  assert.match(refused.remedy, /get and create on pods\/portforward/);
});
