/**
 * The shop baseline from test/fixtures/sandbox in the cluster under test: applied into the suite's
 * throwaway namespace, with tether.yaml fixtures pointed at it.
 */
import type { KubeClient } from '../../../src/kube/api';
import type { SandboxSpec } from '../../../src/sandbox/spec';
import { clusterFor, type ClusterOptions, type ClusterUnderTest, type TestHandle } from '../../cluster/clusterUnderTest';
import { baselineObjects, specFixture } from './simFixture';

export interface ShopCluster {
  cluster: ClusterUnderTest;
  /** Admin client of the cluster under test. */
  client: KubeClient;
  /** The baseline namespace (the suite's throwaway namespace). */
  shop: string;
  /** A tether.yaml fixture whose baseline is `shop`. */
  spec(file: string): SandboxSpec;
}

export async function shopCluster(t: TestHandle, suite: string, options: ClusterOptions = {}): Promise<ShopCluster> {
  const cluster = await clusterFor(t, suite, options);
  const shop = cluster.namespace;
  for (const object of baselineObjects()) await cluster.apply({ ...object, metadata: { ...object.metadata, namespace: shop } });
  return {
    cluster,
    client: cluster.client(),
    shop,
    spec: (file) => ({ ...specFixture(file), baseline: { namespace: shop } }),
  };
}
