/**
 * The plan's seam for the sandbox's one in-cluster agent: what a builder gets (agentObjects.ts
 * fills it) and what the plan keeps about the agent for the editor. The plan, the builder and the
 * preview loop share these types without importing each other.
 */
import type { DesiredObject } from './desired';
import { boundedName } from './names';

/** Base name of the agent's objects (the plan prefixes it with the sandbox in a shared namespace). */
export const agentBaseName = 'tether-agent';

/** The agent's object name for a sandbox and placement, as the plan names it. */
export function agentObjectName(sandbox: string, ownNamespace: boolean): string {
  return ownNamespace ? agentBaseName : boundedName([sandbox, agentBaseName]);
}

/** One port the agent listens on for in-cluster callers of a `local` fork. */
export interface AgentDataPort {
  /** The local fork's workload. */
  fork: string;
  /** The fork's container port: what its Services target in the baseline. */
  port: number;
  /** The port the agent listens on for it: `port`, unless another fork or the agent has that one. */
  dataPort: number;
  /** The port on the developer's machine the extension delivers it to. */
  localPort: number;
}

/**
 * Where the gate of a shareable host forwards: the sandbox's entry Service; for a header-routed
 * preview the baseline's entry Service (`namespace` set), with `baggage: tether-sandbox=<sandbox>`
 * added to every request so the mesh routes calls to the forks, as the local header-routed preview
 * does.
 */
export interface GateUpstream {
  service: string;
  port: number;
  /** The Service's namespace when it is not the sandbox's. */
  namespace?: string;
  baggage?: boolean;
}

/** The shareable host of a sandbox. */
export interface PlannedShare {
  /** The shareable host, e.g. "jane-main.preview.example.com". */
  host: string;
  /** Scheme and host, e.g. "https://jane-main.preview.example.com". */
  origin: string;
}

/** What the agent builder gets: everything the sandbox's one agent pod does. */
export interface AgentRequest {
  /** Name of the agent's objects (Deployment, ConfigMap, token Secret). */
  name: string;
  namespace: string;
  sandbox: string;
  /** Ownership labels, with the agent's role, that every object must carry. */
  labels: Record<string, string>;
  /** The tunnel listener: one data port per port of each `local` fork; empty without one. */
  dataPorts: AgentDataPort[];
  /** The `local` forks the agent stands in for, in tether.yaml's order. */
  localForks: string[];
  /** Service account it runs as (holds the self-cleanup permissions). */
  serviceAccountName: string;
  /** Environment its self-cleanup reads (see src/agent/cleanup.ts). */
  cleanupEnv: Record<string, string>;
  /** Labels the agent's pod must carry: the fork Services and the gate's Service select it by them. */
  podSelector: Record<string, string>;
  /** With a shareable host: the name of the gate's objects and its upstream; the builder adds them. */
  gate?: { name: string; upstream: GateUpstream };
}

export interface PlannedAgentObjects {
  objects: DesiredObject[];
  /** The shareable host, when the request had a gate. */
  share?: PlannedShare;
}

export type AgentBuilder = (request: AgentRequest) => PlannedAgentObjects;

/** Where a sandbox goes, as create.ts knows it once the placement is chosen. */
export interface SandboxLocationChoice {
  sandbox: string;
  namespace: string;
  ownNamespace: boolean;
}

/**
 * How create.ts gets the agent builder: once the sandbox's place is known, so the token and the
 * link key already in the sandbox can be read back (agentSecrets.ts). `share` says the builder
 * has a shareable host's settings.
 */
export interface SandboxAgentSource {
  share: boolean;
  builder(where: SandboxLocationChoice, signal?: AbortSignal): Promise<AgentBuilder>;
}

/** What the plan keeps about its agent: what the editor connects to and how inbound traffic maps. */
export interface PlannedAgent {
  name: string;
  namespace: string;
  /** Label selector (text) of the agent's pods. */
  selector: string;
  dataPorts: AgentDataPort[];
  localForks: string[];
}
