import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { runCheck } from '../../../src/sandbox/checkRun';
import { createSandbox } from '../../../src/sandbox/create';
import { deleteSandbox } from '../../../src/sandbox/lifecycle';
import { clientOf, shopSimulator, specFixture, until } from './simFixture';

test('checks run as Jobs in the sandbox against the preview URL: a pass, a failure with its reason and log', async (t) => {
  const sim = await shopSimulator(t, [], { timings: { reconcileMs: 5, scheduleMs: 10, startMs: 20, readyMs: 20, terminateMs: 20, jobRunMs: 100 } });
  sim.seed([{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: {}, status: { allocatable: { cpu: '8', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } }]);
  const client = clientOf(t, sim);
  const { plan, result } = await createSandbox(client, { spec: specFixture('image-env.tether.yaml'), developer: 'jane', branch: 'main', holderIdentity: 'x' });

  const pass = await runCheck(client, plan, { name: 'smoke', image: 'curlimages/curl', command: ['sh', '-c', 'curl -f "$TETHER_PREVIEW_URL"'], env: {}, timeoutSeconds: 60 }, { lease: result.lease, runId: 'r1', pollMs: 20 });
  assert.equal(pass.passed, true);
  assert.equal(pass.job, 'check-smoke-r1');
  assert.ok(pass.durationMs > 0);
  assert.match(pass.log, /done/);
  const job = await client.get<KubeObject & { spec: { template: { spec: { containers: { env: { name: string; value: string }[] }[] } } } }>(kinds.Job, 'jane-main', 'check-smoke-r1');
  assert.deepEqual(job.spec.template.spec.containers[0].env, [{ name: 'TETHER_PREVIEW_URL', value: 'http://web.jane-main.svc.cluster.local:80/' }]);
  assert.equal(job.metadata.ownerReferences?.[0].uid, result.lease.metadata.uid);

  const fail = await runCheck(client, plan, { name: 'contract', image: 'pact/verifier', command: ['verify'], env: { SIM_CRASH: '1' }, timeoutSeconds: 60 }, { lease: result.lease, runId: 'r1', pollMs: 20 });
  assert.equal(fail.passed, false);
  assert.match(fail.reason ?? '', /exited with code 3/);
  assert.match(fail.log, /fatal: config missing/);

  // The Jobs go with the sandbox.
  await deleteSandbox(client, { sandbox: plan.sandbox, namespace: plan.namespace });
  await until(async () => ((await client.listAll(kinds.Job, 'jane-main')).items.length === 0 ? true : undefined), 'the check Jobs to go');
});
