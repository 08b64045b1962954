/**
 * The plan's relay seam filled by the tunnel's relay objects (src/tunnel/relay.ts): the agent
 * ConfigMap, the token Secret and the restricted relay Deployment, with the sandbox's labels, the
 * self-cleanup environment and service account added. The relay's own Service is left out: the
 * sandbox's fork Services, named like the baseline's, select the relay pods instead.
 */
import { relayObjects, type Manifest } from '../tunnel/relay';
import type { DesiredObject } from './desired';
import { ownerLabel, sandboxLabel } from './labels';
import type { RelayBuilder, RelayRequest } from './relayRequest';

export interface SandboxRelayOptions {
  /** The text of dist/relay-agent.js. */
  agentScript: string;
  /** The tunnel session's token. */
  token: string;
  /** The setting tether.relay.image. */
  image?: string;
  controlPort?: number;
}

interface PodTemplateSpec {
  metadata: { labels: Record<string, string> };
  spec: { containers: { env?: { name: string; value?: string }[] }[]; [key: string]: unknown };
}

function withLabels(manifest: Manifest, labels: Record<string, string>): DesiredObject {
  return { ...manifest, metadata: { ...manifest.metadata, labels: { ...manifest.metadata.labels, ...labels } } };
}

export function sandboxRelayBuilder(options: SandboxRelayOptions): RelayBuilder {
  return (request: RelayRequest): DesiredObject[] => {
    const objects = relayObjects({
      name: request.name,
      sandbox: request.labels[sandboxLabel] ?? '',
      owner: request.labels[ownerLabel] ?? '',
      namespace: request.namespace,
      image: options.image,
      agentScript: options.agentScript,
      token: options.token,
      controlPort: options.controlPort,
      ports: request.ports.map((p) => ({ name: `p${p.port}`, port: p.port })),
      serviceAccountName: request.serviceAccountName,
    });
    const deployment = withLabels(objects.deployment, request.labels);
    const spec = deployment.spec as { template: PodTemplateSpec };
    const template = spec.template;
    const env = Object.entries(request.cleanupEnv).map(([name, value]) => ({ name, value }));
    const containers = template.spec.containers.map((c, i) => (i === 0 ? { ...c, env: [...(c.env ?? []), ...env] } : c));
    deployment.spec = { ...spec, template: { ...template, metadata: { ...template.metadata, labels: { ...template.metadata.labels, ...request.podLabels } }, spec: { ...template.spec, containers } } };
    return [withLabels(objects.configMap, request.labels), withLabels(objects.secret, request.labels), deployment];
  };
}
