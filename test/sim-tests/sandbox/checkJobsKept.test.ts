import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { runCheck } from '../../../src/sandbox/checks/checkRun';
import { createSandbox } from '../../../src/sandbox/lifecycle/create';
import { shopCluster } from './shopCluster';

test('re-applying a sandbox keeps the Jobs of its last check run, with their results, until their TTL', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-check-jobs', { timings: { jobRunMs: 100 } });
  const { client, cluster } = shopped;
  const who = { developer: cluster.developer('jane'), branch: 'main', holderIdentity: 'x' };
  const spec = shopped.spec('image-env.tether.yaml');
  const { plan, result } = await createSandbox(client, { spec, ...who });
  const check = { name: 'smoke', image: cluster.images.relay, command: ['node', '-e', 'console.log("ok")'], env: {}, timeoutSeconds: 120 };
  const run = await runCheck(client, plan, check, { lease: result.lease, runId: 'r1', pollMs: 50 });
  assert.equal(run.passed, true, run.reason);

  // tether.yaml changed (one fork fewer): the apply prunes what the plan no longer has, not the check's Job.
  const again = await createSandbox(client, { spec: { ...spec, forks: spec.forks.filter((f) => f.workload.name !== 'web') }, ...who });
  assert.deepEqual(again.result.pruned.map((r) => `${r.kind}/${r.name}`), ['Deployment/web']);
  const job = await client.get<KubeObject & { spec: { ttlSecondsAfterFinished?: number }; status?: { conditions?: { type: string; status: string }[] } }>(kinds.Job, plan.namespace, run.job);
  assert.ok(job.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True'), 'the run\'s result is still there');
  assert.equal(job.spec.ttlSecondsAfterFinished, 3600, 'the Job\'s TTL is what removes it');
  const pods = await client.listAll<KubeObject>(kinds.Pod, plan.namespace, { labelSelector: `job-name=${run.job}` });
  assert.equal(pods.items.length, 1, 'and so is its pod, with the log');
});
