import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { checkTargetFrom } from '../../../src/sandbox/checks/checkPlan';
import { runCheck } from '../../../src/sandbox/checks/checkRun';
import { runCheckSuite } from '../../../src/sandbox/checks/checkSuite';
import { createSandbox } from '../../../src/sandbox/lifecycle/create';
import { deleteSandbox } from '../../../src/sandbox/lifecycle/lifecycle';
import { belongsTo } from '../../../src/sandbox/labels';
import { shopCluster } from './shopCluster';
import { checkCommands } from './checkCommands';

test('checks run as Jobs in the sandbox against the preview URL: a pass, a failure with its reason and log', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-checks');
  const { client, cluster } = shopped;
  const run = checkCommands(cluster.images.relay);
  const { plan, result } = await createSandbox(client, { spec: shopped.spec('image-env.tether.yaml'), developer: cluster.developer('jane'), branch: 'main', holderIdentity: 'x' });

  const pass = await runCheck(client, plan, run.smoke, { lease: result.lease, runId: 'r1', pollMs: 20 });
  assert.equal(pass.passed, true);
  assert.equal(pass.job, 'check-smoke-r1');
  assert.ok(pass.durationMs > 0);
  assert.match(pass.log, /done/);
  const job = await client.get<KubeObject & { spec: { template: { spec: { containers: { env: { name: string; value: string }[] }[] } } } }>(kinds.Job, plan.namespace, 'check-smoke-r1');
  assert.deepEqual(job.spec.template.spec.containers[0].env, [{ name: 'TETHER_PREVIEW_URL', value: `http://web.${plan.namespace}.svc.cluster.local:80/` }]);
  assert.equal(job.metadata.ownerReferences?.[0].uid, result.lease.metadata.uid);
  assert.ok(belongsTo(job, plan.sandbox), `the check's Job carries Tether's labels: ${JSON.stringify(job.metadata.labels)}`);

  const fail = await runCheck(client, plan, run.contract, { lease: result.lease, runId: 'r1', pollMs: 20 });
  assert.equal(fail.passed, false);
  assert.match(fail.reason ?? '', /exited with code 3/);
  assert.match(fail.log, /fatal: config missing/);

  // The Jobs go with the sandbox.
  await deleteSandbox(client, { sandbox: plan.sandbox, namespace: plan.namespace });
  await cluster.until(async () => (await client.listAll(kinds.Job, plan.namespace)).items.length === 0, 'the check Jobs to go');
});

test('the checks of a sandbox run from a front door that did not apply it: the plan is rebuilt from its Lease', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-checks-elsewhere');
  const { client, cluster } = shopped;
  const spec = { ...shopped.spec('image-env.tether.yaml'), checks: [checkCommands(cluster.images.relay).smoke] };
  // Applied by one front door, which then goes away...
  const { plan } = await createSandbox(client, { spec, developer: cluster.developer('jane'), branch: 'main', sandbox: 'pr-7', holderIdentity: 'ci@runner/cli' });
  assert.equal(plan.sandbox, 'pr-7');
  // ...and checked by another, from the cluster and tether.yaml alone.
  const target = await checkTargetFrom(client, { sandbox: 'pr-7', namespace: plan.namespace }, spec);
  assert.deepEqual(target.plan.entry, plan.entry);
  const suite = await runCheckSuite(target.client, target.plan, target.checks, { lease: target.lease, runId: 'r2', pollMs: 20 });
  assert.equal(suite.passed, 1);
  const job = await client.get<KubeObject & { spec: { template: { spec: { containers: { env: { name: string; value: string }[] }[] } } } }>(kinds.Job, plan.namespace, 'check-smoke-r2');
  assert.deepEqual(job.spec.template.spec.containers[0].env, [{ name: 'TETHER_PREVIEW_URL', value: `http://web.${plan.namespace}.svc.cluster.local:80/` }]);
  assert.deepEqual(job.metadata.labels, { ...plan.objects.find((o) => o.kind === 'Lease')!.metadata.labels, 'tether.dev/role': 'check', 'tether.dev/check': 'smoke' });
  await assert.rejects(checkTargetFrom(client, { sandbox: 'pr-8', namespace: plan.namespace }, spec), /has no sandbox "pr-8"/);
  await deleteSandbox(client, { sandbox: plan.sandbox, namespace: plan.namespace });
});
