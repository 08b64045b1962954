/**
 * What completion and navigation read from the connected cluster: plain answers from caches the
 * caller keeps (the extension's watches). Never a request on the keystroke's path: an answer that
 * is not cached yet is `undefined`, and asking is what starts the caller's lookup, so the next
 * keystroke has it.
 */
import type { NodeFacts } from '../types';
import type { RefKind } from '../navigate/slots';

export interface FreeNow {
  /** Units no pod requests now, over all nodes. */
  free: number;
  /** The node with the most free units. */
  largestFree?: { node: string; free: number };
}

export interface ClusterLookup {
  /** The kubeconfig context the answers are from. */
  readonly context: string;
  /** The namespace documents without one are applied to (the context's). */
  readonly defaultNamespace: string;
  /** Names of a kind's objects (in `namespace` for namespaced kinds); undefined while being read. */
  names(kind: RefKind, namespace: string | undefined): readonly string[] | undefined;
  /** Nodes' labels, taints and allocatable resources; undefined while read or when not readable. */
  nodes(): readonly NodeFacts[] | undefined;
  /** What is free of an extended resource now, when pods are being watched (the GPU feed runs). */
  freeNow(resource: string): FreeNow | undefined;
}
