/**
 * tether lint --context: the CLI reads the kubeconfig, fetches the cluster's /openapi/v3 schema and
 * its nodes, and validates against them; a cluster it cannot read is exit 3 with the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runTether } from '../../cli/memoryIo';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { clusterFor, type ClusterUnderTest } from '../../cluster/clusterUnderTest';
import { withServiceAccount } from '../../cluster/serviceAccount';
import { gpuNode, plainNode } from '../../cluster/simulatorCluster';
import { schemaMistakesDeployment } from '../../fixtures/manifests/schemaMistakes';
import { tempFolder, type TempFolderOwner } from '../../tempFolder';

function run(args: string[]) {
  return runTether(['lint', ...args]);
}

function manifest(t: TempFolderOwner, text: string): string {
  const file = path.join(tempFolder(t, 'lint'), 'workload.yaml');
  writeFileSync(file, text);
  return file;
}

/** A Job asking for `count` nvidia.com/gpu. */
function gpuJob(count: number): string {
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: train
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: train
          image: ghcr.io/example/train:1.0
          resources:
            limits: { nvidia.com/gpu: ${count} }
            requests: { nvidia.com/gpu: ${count} }
`;
}

/**
 * The largest nvidia.com/gpu offer among the cluster's nodes, as the rule finds it (the first such
 * node in list order), and what the rule says about a request above it.
 */
async function largestGpuOffer(cluster: ClusterUnderTest): Promise<{ count: number; message: RegExp }> {
  const nodes = await cluster.client().listAll<KubeObject & { status?: { allocatable?: Record<string, string> } }>(kinds.Node, undefined);
  const offers = nodes.items.map((n) => ({ name: n.metadata.name, count: Number(n.status?.allocatable?.['nvidia.com/gpu'] ?? 0) })).filter((o) => o.count > 0);
  const largest = offers.reduce<{ name: string; count: number } | undefined>((best, o) => (best && best.count >= o.count ? best : o), undefined);
  if (!largest) return { count: 0, message: /no node in the cluster offers nvidia\.com\/gpu/ };
  // Node names are DNS subdomains: a dot is the only character to escape.
  return { count: largest.count, message: new RegExp(`but the largest node offers ${largest.count} \\(${largest.name.replaceAll('.', '\\.')}\\)`) };
}

test("--context validates against the cluster's schema and its nodes", async (t) => {
  // On the simulator its largest GPU node has 4 GPUs; a real cluster has what it has, none included.
  const cluster = await clusterFor(t, 'lint-context', { nodes: [plainNode('cpu-1'), gpuNode('gpu-1', 4)] });
  const deployment = manifest(t, schemaMistakesDeployment);
  const r = await run(['--format', 'json', '--kubeconfig', cluster.kubeconfigPath, '--context', cluster.context, deployment]);
  assert.equal(r.code, 1, r.err);
  const ids = JSON.parse(r.out)[0].diagnostics.map((d: { ruleId: string }) => d.ruleId);
  assert.ok(ids.includes('schema-type') && ids.includes('schema-unknown-field'), ids.join(', '));

  const largest = await largestGpuOffer(cluster);
  if (cluster.kind === 'simulator') assert.equal(largest.count, 4, 'the simulator runs the nodes given above');
  const asked = Math.max(8, largest.count + 1);
  const job = manifest(t, gpuJob(asked));
  const offline = await run(['--format', 'json', job]);
  assert.ok(!offline.out.includes('gpu-request-exceeds-node'), 'without a cluster the rule cannot know the nodes');
  const live = await run(['--format', 'json', '--kubeconfig', cluster.kubeconfigPath, '--context', cluster.context, job]);
  const finding = JSON.parse(live.out)[0].diagnostics.find((d: { ruleId: string }) => d.ruleId === 'gpu-request-exceeds-node');
  assert.match(finding?.message ?? '', new RegExp(`asks for ${asked} nvidia\\.com/gpu `));
  assert.match(finding?.message ?? '', largest.message);

  // --kubeconfig alone uses its current context.
  assert.equal((await run(['--kubeconfig', cluster.kubeconfigPath, deployment])).code, 1);
});

test('a user who may not list nodes still gets the schema, and is told the GPU rules are off', async (t) => {
  const cluster = await clusterFor(t, 'lint-context-denied');
  // A ServiceAccount holds nothing cluster-wide: it may not list nodes.
  const viewer = await withServiceAccount(cluster, cluster.namespace, [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]);
  const r = await run(['--kubeconfig', viewer.kubeconfigPath, '--context', viewer.context, manifest(t, schemaMistakesDeployment)]);
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /may not list the nodes of context ".+": the cluster-aware GPU rules are off/);
  assert.match(r.out, /schema-unknown-field/);
});

test('an unknown context, a missing kubeconfig and an unreachable cluster exit 3 and say why', async (t) => {
  const cluster = await clusterFor(t, 'lint-context-errors');
  const file = manifest(t, schemaMistakesDeployment);
  const unknown = await run(['--kubeconfig', cluster.kubeconfigPath, '--context', 'no-such-context', file]);
  assert.equal(unknown.code, 3);
  assert.match(unknown.err, /^tether: Use context "no-such-context" failed: no kubeconfig file defines a context named "no-such-context" \(known: .+\)/);

  const missing = await run(['--kubeconfig', '/no/such/kubeconfig', '--context', 'prod', file]);
  assert.equal(missing.code, 3);
  assert.match(missing.err, /none of the files in KUBECONFIG exist \(\/no\/such\/kubeconfig\)/);

  const kubeconfig = path.join(tempFolder(t, 'lint-kubeconfig'), 'config');
  writeFileSync(kubeconfig, `apiVersion: v1
kind: Config
clusters: [{ name: gone, cluster: { server: "https://127.0.0.1:1" } }]
users: [{ name: gone, user: { token: t } }]
contexts: [{ name: gone, context: { cluster: gone, user: gone } }]
current-context: gone
`);
  const unreachable = await run(['--kubeconfig', kubeconfig, file]);
  assert.equal(unreachable.code, 3);
  assert.match(unreachable.err, /^tether: Read the version of https:\/\/127\.0\.0\.1:1 failed: .+/);
  assert.equal(unreachable.out, '', 'no report without the cluster');
});
