/** The demo cluster: nodes with GPUs, a small shop app and an ML namespace. */
import type { ObjectInput } from './defaults';

export function demoCluster(): ObjectInput[] {
  return [];
}
