/**
 * GPU accounting over live watches of the cluster under test: a pod holding one GPU is counted on
 * its node and in its namespace; a pod asking for more than any node has waits, and says why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WatchHub } from '../../../src/kube/hub';
import type { KubeObject } from '../../../src/kube/types';
import { GpuFeed } from '../../../src/gpu/gpuFeed';
import { isGpuResource } from '../../../src/gpu/podGpus';
import { clusterFor } from '../../cluster/clusterUnderTest';
import { gpuNode, plainNode } from '../../cluster/simulatorCluster';

type NodeObject = KubeObject & { status?: { allocatable?: Record<string, string> } };

function gpuPod(name: string, namespace: string, image: string, resource: string, count: number) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 1,
      tolerations: [{ key: resource, operator: 'Exists', effect: 'NoSchedule' }],
      containers: [{ name: 'hold', image, command: ['node', '-e', 'setInterval(() => {}, 1 << 30)'], resources: { limits: { [resource]: String(count) } } }],
    },
  };
}

test('a pod holding a GPU is counted on its node and in its namespace; one asking for more than any node has waits, saying why', async (t) => {
  const cluster = await clusterFor(t, 'kube-gpu', { nodes: [plainNode('node-1'), gpuNode('gpu-1', 4), gpuNode('gpu-2', 2)] });
  if (await cluster.requireGpu(t)) return;
  const ns = cluster.namespace;
  const client = cluster.client();
  const nodes = (await cluster.gpuNodes()) as NodeObject[];
  const gpusOf = (node: NodeObject) => Object.entries(node.status?.allocatable ?? {}).filter(([name, count]) => isGpuResource(name) && Number(count) > 0);
  const resource = gpusOf(nodes[0])[0][0];
  const largest = Math.max(...nodes.map((n) => Number(n.status?.allocatable?.[resource] ?? 0)));

  const hub = new WatchHub(() => client, undefined, { lingerMs: 0 });
  t.after(() => hub.dispose());
  const feed = new GpuFeed(hub, { context: cluster.context, namespace: ns, onChange: () => {} });
  t.after(() => feed.dispose());

  await cluster.apply(gpuPod('gpu-holder', ns, cluster.images.relay, resource, 1));
  await cluster.apply(gpuPod('gpu-waiter', ns, cluster.images.relay, resource, largest + 1));
  const holder = (await cluster.waitForPodReady('app=gpu-holder')) as KubeObject & { spec: { nodeName: string } };

  const table = await cluster.until(() => {
    const now = feed.table();
    const held = now.holders.find((h) => h.key === `${ns}/gpu-holder`);
    const waiting = now.waiting.find((w) => w.key === `${ns}/gpu-waiter`);
    return held && waiting ? now : undefined;
  }, 'the GPU table to show both pods');
  const held = table.holders.find((h) => h.key === `${ns}/gpu-holder`);
  assert.equal(held?.node, holder.spec.nodeName);
  assert.deepEqual(held?.gpus, [{ resource, count: 1 }]);
  const nodeRow = table.nodes.find((n) => n.name === holder.spec.nodeName);
  const bound = nodes.find((n) => n.metadata.name === holder.spec.nodeName);
  assert.equal(nodeRow?.slots.find((s) => s.resource === resource)?.allocatable, Number(bound?.status?.allocatable?.[resource]));
  const waiting = table.waiting.find((w) => w.key === `${ns}/gpu-waiter`);
  assert.match(waiting?.reason ?? '', new RegExp(`needs ${largest + 1} ${resource.replace(/\./g, '\\.')}`));
  const namespaceRow = table.namespaces.find((r) => r.namespace === ns);
  assert.deepEqual([namespaceRow?.requested, namespaceRow?.holding, namespaceRow?.waiting], [[{ resource, count: largest + 2 }], 1, 1]);
});
