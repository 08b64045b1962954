/**
 * Port-forwarding into a pod of the cluster under test: bytes echoed unchanged by a server on the
 * pod's loopback, a port nothing listens on explained, and a user without pods/portforward told
 * what to ask for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { ExplainedError } from '../../../src/kube/errors';
import { openPortForward } from '../../../src/kube/portforward';
import { clusterFor, type TestHandle } from '../../cluster/clusterUnderTest';
import { withServiceAccount } from '../../cluster/serviceAccount';

const echo = "require('node:net').createServer((s) => s.pipe(s)).listen(7000, '127.0.0.1');";

/** An echo server on 127.0.0.1:7000 in pod `echo`, run by the relay image (it has node). */
async function setup(t: TestHandle, suite: string) {
  const cluster = await clusterFor(t, suite);
  const ns = cluster.namespace;
  await cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'echo', namespace: ns }, data: { 'echo.js': echo } });
  await cluster.apply({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'echo', namespace: ns, labels: { app: 'echo' } },
    spec: {
      containers: [{ name: 'app', image: cluster.images.relay, command: ['node', '/opt/app/echo.js'], ports: [{ containerPort: 7000 }], volumeMounts: [{ name: 'app', mountPath: '/opt/app' }] }],
      volumes: [{ name: 'app', configMap: { name: 'echo' } }],
    },
  });
  await cluster.waitForPodReady('app=echo');
  return { cluster, ns, admin: cluster.client() };
}

test('8 MB echoed byte for byte over a pod-local port', async (t) => {
  const { admin, ns } = await setup(t, 'portforward-echo');
  const stream = await openPortForward(admin, ns, 'echo', 7000);
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

test('a port nothing listens on inside the pod is explained', async (t) => {
  const { admin, ns } = await setup(t, 'portforward-unreachable');
  const stream = await openPortForward(admin, ns, 'echo', 7999);
  const err = await new Promise<Error>((resolve) => stream.once('error', resolve));
  assert.ok(err instanceof ExplainedError);
  assert.equal(err.reason, 'Unreachable');
  assert.match(err.why, /nothing listens on port 7999 inside pod "echo"/);
});

test('a user without pods/portforward is told what to ask for', async (t) => {
  const { cluster, ns } = await setup(t, 'portforward-denied');
  // May see pods but not forward to them. (Before Kubernetes 1.35 the upgrade checks only get.)
  const viewer = await withServiceAccount(cluster, ns, [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]);
  const refused = await openPortForward(viewer.client(), ns, 'echo', 7000).catch((e: unknown) => e);
  assert.ok(refused instanceof ExplainedError);
  assert.equal(refused.reason, 'Forbidden');
  assert.match(refused.remedy, /get and create on pods\/portforward/);
});
