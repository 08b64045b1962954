/** The demo cluster: nodes with GPUs, a small shop app and an ML namespace. */
import type { KubeObject } from '../../src/kube/types';

export function demoCluster(): KubeObject[] {
  return [];
}
