import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { runCheckSuite, type CheckProgress } from '../../../src/sandbox/checks/checkSuite';
import { createSandbox } from '../../../src/sandbox/lifecycle/create';
import { shopCluster } from './shopCluster';
import { checkCommands } from './checkCommands';

test('a suite of two checks runs both Jobs in the sandbox at once: one passes, one fails with its reason and log', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-check-suite');
  const { client } = shopped;
  const run = checkCommands(shopped.cluster.images.relay);
  const { plan, result } = await createSandbox(client, { spec: shopped.spec('image-env.tether.yaml'), developer: shopped.cluster.developer('jane'), branch: 'main', holderIdentity: 'x' });

  const updates: CheckProgress[] = [];
  const suite = await runCheckSuite(
    client,
    plan,
    [run.smoke, run.contract],
    { lease: result.lease, runId: 's1', pollMs: 20, concurrency: 2, onUpdate: (p) => updates.push(p) },
  );

  assert.equal(suite.passed, 1);
  assert.equal(suite.failed, 1);
  assert.equal(suite.cancelled, false);
  const [smoke, contract] = suite.checks;
  assert.equal(smoke.state, 'passed');
  assert.equal(smoke.job, 'check-smoke-s1');
  assert.ok((smoke.durationMs ?? 0) > 0);
  assert.match(smoke.log ?? '', /done/);
  assert.equal(contract.state, 'failed');
  assert.match(contract.reason ?? '', /exited with code 3/);
  assert.match(contract.log ?? '', /fatal: config missing/);
  // Both were running before either finished.
  const firstDone = updates.findIndex((u) => u.state === 'passed' || u.state === 'failed');
  assert.deepEqual(updates.slice(0, firstDone).map((u) => `${u.name}:${u.state}`).sort(), ['contract:running', 'smoke:running']);

  const jobs = (await client.listAll<KubeObject>(kinds.Job, plan.namespace)).items.map((j) => j.metadata.name).sort();
  assert.deepEqual(jobs, ['check-contract-s1', 'check-smoke-s1']);
});

test('cancelling a suite stops waiting for its running Job at once and never creates the pending ones', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-check-suite-cancel');
  const { client } = shopped;
  const run = checkCommands(shopped.cluster.images.relay);
  const { plan, result } = await createSandbox(client, { spec: shopped.spec('image-env.tether.yaml'), developer: shopped.cluster.developer('jane'), branch: 'main', holderIdentity: 'x' });

  const abort = new AbortController();
  const suite = await runCheckSuite(
    client,
    plan,
    [run.load, run.smoke],
    {
      lease: result.lease,
      runId: 'c1',
      pollMs: 20,
      concurrency: 1,
      signal: abort.signal,
      onUpdate: (p) => {
        if (p.name === 'load' && p.state === 'running') setTimeout(() => abort.abort(), 300);
      },
    },
  );

  assert.equal(suite.cancelled, true);
  assert.deepEqual(suite.checks.map((c) => `${c.name}:${c.state}`), ['load:cancelled', 'smoke:cancelled']);
  const jobs = (await client.listAll<KubeObject & { status?: { conditions?: { type: string; status: string }[] } }>(kinds.Job, plan.namespace)).items;
  assert.deepEqual(jobs.map((j) => j.metadata.name), ['check-load-c1']);
  // The suite returned while the slow check (60 s) still ran: it did not wait for it.
  assert.ok(!jobs[0].status?.conditions?.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True'), 'the slow check is still running');
});
