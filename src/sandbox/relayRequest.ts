/**
 * The plan's seam for the in-cluster relay: what a builder gets for one `local` fork, and the
 * builder's shape. The plan, the relay builder and the janitor share it without importing each other.
 */
import type { KubeObject } from '../kube/types';
import type { DesiredObject } from './desired';
import type { ForkPort } from './spec';

/** What a relay builder gets for one `local` fork. */
export interface RelayRequest {
  /** Name for the relay's objects (Deployment, ConfigMap, Secret). */
  name: string;
  namespace: string;
  /** Ownership labels every relay object must carry. */
  labels: Record<string, string>;
  /** Labels of the relay pods: the fork's Services select them. */
  podLabels: Record<string, string>;
  /** The ports in-cluster callers reach (the relay listens on them) and their local targets. */
  ports: ForkPort[];
  /** Service account the relay runs as (holds the self-cleanup permissions). */
  serviceAccountName: string;
  /** Environment the relay's self-cleanup reads (see src/agent/cleanup.ts). */
  cleanupEnv: Record<string, string>;
  /** The baseline workload being replaced, for its env and ports. */
  baseline: KubeObject;
}

/** Builds the relay objects (Deployment, ConfigMap with the agent, Secret with the session token). */
export type RelayBuilder = (request: RelayRequest) => DesiredObject[];
