/** Whether the cluster under test has GPUs: the nodes that advertise a GPU resource. */
import type { KubeClient } from '../../src/kube/api';
import { kinds } from '../../src/kube/kinds';
import type { KubeObject } from '../../src/kube/types';
import { isGpuResource } from '../../src/gpu/podGpus';

type NodeObject = KubeObject & { status?: { allocatable?: Record<string, string> } };

/** Nodes whose allocatable resources include a GPU resource with a count above zero. */
export async function listGpuNodes(client: KubeClient): Promise<NodeObject[]> {
  const nodes = await client.listAll<NodeObject>(kinds.Node, undefined);
  return nodes.items.filter((node) => Object.entries(node.status?.allocatable ?? {}).some(([name, count]) => isGpuResource(name) && Number(count) > 0));
}
