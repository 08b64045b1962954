// A sandbox's local fork gives its workload's environment to local terminals: the baseline's
// variables, with Service addresses forwarded through the fork's tunnel into the sandbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forkEnvironment, forkEnvironmentTargets } from '../../../src/sandbox/forks/forkEnvironment';
import type { ObjectInput } from '../../sim/defaults';
import { sampleApiFor } from './previewBaseline';
import { previewCluster } from './previewCluster';
import { fetchText } from '../../fetchText';

type Deployment = ObjectInput & { spec: { template: { spec: { containers: { env?: { name: string; value: string }[] }[] } } } };

test('local fork: its environment is the baseline\'s, and its Service addresses reach the sandbox through the tunnel', async (t) => {
  const c = await previewCluster(t, 'preview-fork-env');
  // The baseline api learns two variables: one plain, one naming a Service of its namespace.
  const deployment = sampleApiFor(c.cluster).objects.find((o) => o.kind === 'Deployment') as Deployment;
  deployment.spec.template.spec.containers[0].env = [
    { name: 'GREETING', value: 'hello' },
    { name: 'SELF_URL', value: 'http://api/health' },
  ];
  await c.cluster.apply(deployment);

  await c.loop.ensure(c.request(c.localSpec()));
  const targets = forkEnvironmentTargets(c.loop.all);
  assert.deepEqual(targets.map((x) => x.source.label), [`fork "api" of sandbox "${c.sandbox}"`]);
  assert.deepEqual(targets[0].tunnel.baseline, { kind: 'Deployment', namespace: c.shop, name: 'api' });

  const env = await forkEnvironment(targets[0]);
  assert.equal(env.variables.GREETING, 'hello');
  const self = env.variables.SELF_URL;
  assert.match(self, /^http:\/\/127\.0\.0\.1:\d+\/health$/, 'the Service address is a local forward');
  assert.deepEqual(env.forwards.map((f) => `${f.service}:${f.port}`), ['api:80']);
  // The sandbox's api Service selects the relay, which delivers to the local process.
  assert.equal(await fetchText(self), 'local v1 /health');

  c.loop.stop(c.context, c.sandbox);
  assert.deepEqual(forkEnvironmentTargets(c.loop.all), [], 'a stopped sandbox gives no environment');
});
