import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { build } from 'esbuild';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { createSandbox } from '../../../src/sandbox/create';
import type { DesiredObject } from '../../../src/sandbox/desired';
import { LeaseHeartbeat } from '../../../src/sandbox/heartbeat';
import { sandboxSelector } from '../../../src/sandbox/labels';
import { listSandboxes } from '../../../src/sandbox/lifecycle';
import { janitorBuilder } from '../../../src/sandbox/janitor';
import type { RelayRequest } from '../../../src/sandbox/plan';
import type { SandboxSpec } from '../../../src/sandbox/spec';
import { createPodRuntime } from '../../sim/runtime/index';
import type { Simulator } from '../../sim/server';
import { clientOf, shopSimulator, specFixture, until } from './simFixture';

const repo = join(__dirname, '../../..');

/** The janitor bundle: one file, no dependencies, started from the environment. */
async function cleanupBundle(): Promise<string> {
  const result = await build({
    entryPoints: [join(repo, 'src/sandbox/janitorMain.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** A relay as the tunnel builds one, reduced to what self-cleanup needs: the agent file in a ConfigMap, run by node. */
function relayWith(agent: string, pollMs: number) {
  return (r: RelayRequest): DesiredObject[] => [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: r.name, namespace: r.namespace, labels: r.labels }, data: { 'agent.js': agent } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: r.name, namespace: r.namespace, labels: r.labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: r.podLabels },
        template: {
          metadata: { labels: r.podLabels },
          spec: {
            serviceAccountName: r.serviceAccountName,
            containers: [
              {
                name: 'relay',
                image: 'node:22-alpine',
                command: ['node', '/opt/tether/agent.js'],
                env: [...Object.entries(r.cleanupEnv).map(([name, value]) => ({ name, value })), { name: 'TETHER_CLEANUP_POLL_MS', value: String(pollMs) }],
                volumeMounts: [{ name: 'agent', mountPath: '/opt/tether', readOnly: true }],
              },
            ],
            volumes: [{ name: 'agent', configMap: { name: r.name } }],
          },
        },
      },
    },
  ];
}

async function relaySimulator(t: Parameters<typeof shopSimulator>[0], users: Parameters<typeof shopSimulator>[1] = []): Promise<Simulator> {
  const sim: Simulator = await shopSimulator(t, users, {
    runtime: (cluster) => createPodRuntime(cluster, { apiServer: () => ({ host: '127.0.0.1', port: sim.port, caPem: sim.caPem, token: sim.token }) }),
  });
  sim.seed([
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
      spec: {},
      status: { allocatable: { cpu: '8', memory: '16Gi', pods: '110' }, capacity: { cpu: '8', memory: '16Gi', pods: '110' }, addresses: [{ type: 'InternalIP', address: '10.0.0.1' }], conditions: [{ type: 'Ready', status: 'True' }] },
    },
  ]);
  return sim;
}

/** The local fork of api with a TTL of 2 s: tether.yaml allows 1 minute at least; the clock is shortened here. */
function shortLived(): SandboxSpec {
  return { ...specFixture('local.tether.yaml'), ttlSeconds: 2 };
}

async function sandboxObjects(client: ReturnType<typeof clientOf>, namespace: string): Promise<string[]> {
  const all: string[] = [];
  for (const kind of [kinds.Deployment, kinds.Service, kinds.ConfigMap, kinds.Lease, kinds.Role, kinds.RoleBinding, kinds.ServiceAccount]) {
    const { items } = await client.listAll<KubeObject>(kind, namespace, { labelSelector: sandboxSelector('jane-main') });
    all.push(...items.map((o) => `${kind.kind}/${o.metadata.name}`));
  }
  return all.sort();
}

async function relayRunning(client: ReturnType<typeof clientOf>, namespace: string): Promise<boolean> {
  const pods = await client.listAll<KubeObject & { status?: { phase?: string } }>(kinds.Pod, namespace, { labelSelector: sandboxSelector('jane-main') });
  return pods.items.some((p) => p.status?.phase === 'Running');
}

test('shared namespace: after the Lease lapses past the TTL the janitor deletes the sandbox, itself last', async (t) => {
  const sim = await relaySimulator(t, [{ name: 'jane', denials: [{ verb: 'create', resource: 'namespaces' }] }]);
  const client = clientOf(t, sim, sim.contextOf('jane'));
  const script = await cleanupBundle();
  const spec: SandboxSpec = { ...specFixture('image-env.tether.yaml'), ttlSeconds: 2 };
  const { plan } = await createSandbox(client, { spec, developer: 'jane', branch: 'main', holderIdentity: 'jane@laptop', janitor: janitorBuilder({ script, pollMs: 100 }), leaseDurationSeconds: 1 });
  assert.equal(plan.namespace, 'shop');
  const before = await sandboxObjects(client, 'shop');
  assert.ok(before.includes('RoleBinding/jane-main-tether-relay') && before.includes('Deployment/jane-main-tether-janitor') && before.includes('Deployment/jane-main-api'));
  await until(() => relayRunning(client, 'shop'), 'the janitor pod to run');
  // Nobody renews the Lease: 2 s later the janitor removes everything of the sandbox, and the garbage
  // collector takes the janitor and its permissions with the Lease.
  await until(async () => ((await sandboxObjects(client, 'shop')).length === 0 ? true : undefined), 'the sandbox to be gone', 20_000);
  const baseline = (await client.listAll(kinds.Deployment, 'shop')).items.map((o) => o.metadata.name).sort();
  assert.deepEqual(baseline, ['api', 'web']);
  assert.deepEqual((await client.listAll(kinds.Service, 'shop')).items.map((o) => o.metadata.name).sort(), ['api', 'postgres', 'web']);
});

test('own namespace: a renewed Lease keeps the sandbox; once renewals stop the relay deletes it with its namespace', async (t) => {
  const sim = await relaySimulator(t);
  const client = clientOf(t, sim);
  const agent = await cleanupBundle();
  const { plan } = await createSandbox(client, { spec: shortLived(), developer: 'jane', branch: 'main', holderIdentity: 'jane@laptop', relay: relayWith(agent, 100), leaseDurationSeconds: 1 });
  const lease = plan.objects.find((o) => o.kind === 'Lease');
  assert.ok(lease);
  const heartbeat = new LeaseHeartbeat(client, lease, { intervalMs: 300 });
  t.after(() => heartbeat.dispose());
  const renewals: Date[] = [];
  heartbeat.onEvent((e) => e.type === 'renewed' && renewals.push(e.at));
  heartbeat.start();
  await until(() => relayRunning(client, 'jane-main'), 'the relay pod to run');
  await new Promise((r) => setTimeout(r, 3000));
  assert.ok(renewals.length >= 5, `renewed ${renewals.length} times`);
  const alive = await listSandboxes(client, { owner: 'jane' });
  assert.deepEqual(alive.mine.map((s) => [s.sandbox, s.state]), [['jane-main', 'active']]);
  assert.ok(alive.mine[0].remainingMs > 0 && alive.mine[0].remainingMs <= 2000);
  assert.ok((await sandboxObjects(client, 'jane-main')).length > 0, 'still there while renewed');

  heartbeat.dispose();
  // The editor is gone.
  await until(async () => {
    const ns = await client.get<KubeObject>(kinds.Namespace, undefined, 'jane-main').catch(() => undefined);
    return ns === undefined || Boolean(ns.metadata.deletionTimestamp);
  }, 'the namespace to be deleted by the relay', 20_000);
});
