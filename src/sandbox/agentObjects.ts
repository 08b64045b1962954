/**
 * The sandbox's one agent, as objects: the relay workload of the tunnel (src/tunnel/relay.ts: the
 * agent bundle in a ConfigMap, the session token in a Secret, a restricted one-replica Deployment
 * on a stock Node image) with its tunnel listener on the local forks' data ports (none without a
 * local fork), the sandbox's labels, the self-cleanup's service account and environment, and, with
 * a shareable host, the preview gate (previewGateObjects.ts) in the same pod. The relay's own
 * Service is left out: the forks' Services and the gate's Service select the agent pod instead.
 */
import { relayWorkload, type Manifest } from '../tunnel/relay';
import type { AgentBuilder, AgentRequest } from './agentRequest';
import type { DesiredObject } from './desired';
import { localForksAnnotation, ownerLabel } from './labels';
import { cleanupEnv } from './lifecycle/cleanupKinds';
import { gateParts, type GateKeying, type GateParts } from './preview/previewGateObjects';

export interface SandboxAgentOptions {
  /** The text of dist/relay-agent.js. */
  agentScript: string;
  /** The session token the extension says hello with. */
  token: string;
  /** The setting tether.relay.image. */
  image?: string;
  /** With a preview domain: the host settings and the sandbox's signing key. */
  share?: GateKeying;
  /** Poll interval of the self-cleanup, ms (default 30 s; tests shorten it). */
  cleanupPollMs?: number;
}

interface Container {
  env?: { name: string; value?: string }[];
  ports?: unknown[];
  volumeMounts?: unknown[];
  [key: string]: unknown;
}

interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: { containers: Container[]; volumes?: unknown[]; [key: string]: unknown };
}

function withLabels(manifest: Manifest, labels: Record<string, string>): DesiredObject {
  return { ...manifest, metadata: { ...manifest.metadata, labels: { ...manifest.metadata.labels, ...labels } } };
}

/** The agent's container with the self-cleanup and, when there is one, the gate added. */
function agentContainer(container: Container, request: AgentRequest, options: SandboxAgentOptions, gate: GateParts | undefined): Container {
  const env = [...(container.env ?? []), ...Object.entries(request.cleanupEnv).map(([name, value]) => ({ name, value }))];
  if (options.cleanupPollMs) env.push({ name: cleanupEnv.pollMs, value: String(options.cleanupPollMs) });
  if (!gate) return { ...container, env };
  return {
    ...container,
    env: [...env, ...gate.container.env],
    ports: [...(container.ports ?? []), gate.container.port],
    volumeMounts: [...(container.volumeMounts ?? []), gate.container.volumeMount],
  };
}

export function sandboxAgentBuilder(options: SandboxAgentOptions): AgentBuilder {
  return (request) => {
    const workload = relayWorkload({
      name: request.name,
      sandbox: request.sandbox,
      owner: request.labels[ownerLabel] ?? '',
      namespace: request.namespace,
      image: options.image,
      agentScript: options.agentScript,
      token: options.token,
      ports: request.dataPorts.map((p) => ({ name: `p${p.dataPort}`, port: p.dataPort })),
      serviceAccountName: request.serviceAccountName,
    });
    const gate = request.gate && options.share
      ? gateParts(options.share, { name: request.gate.name, namespace: request.namespace, sandbox: request.sandbox, labels: request.labels, agentSelector: request.podSelector, upstream: request.gate.upstream })
      : undefined;
    const deployment = withLabels(workload.deployment, request.labels);
    if (request.localForks.length > 0) deployment.metadata.annotations = { ...deployment.metadata.annotations, [localForksAnnotation]: request.localForks.join(',') };
    const spec = deployment.spec as { template: PodTemplate };
    const { template } = spec;
    const podSpec = {
      ...template.spec,
      containers: template.spec.containers.map((c, i) => (i === 0 ? agentContainer(c, request, options, gate) : c)),
      volumes: [...(template.spec.volumes ?? []), ...(gate ? [gate.container.volume] : [])],
    };
    deployment.spec = { ...spec, template: { ...template, metadata: { ...template.metadata, labels: { ...template.metadata.labels, ...request.podSelector } }, spec: podSpec } };
    return {
      objects: [withLabels(workload.configMap, request.labels), withLabels(workload.secret, request.labels), deployment, ...(gate?.objects ?? [])],
      ...(gate ? { share: gate.share } : {}),
    };
  };
}
