/**
 * The shareable host's part of the sandbox's agent: the link-signing key in a Secret, the gate's
 * Service (port 80 to the agent pod's gate port) and the Ingress or HTTPRoute for
 * `<sandbox>.<domain>`; and what the agent's container gets for it: the gate's environment, the
 * key mounted read-only, the gate's port. The agent checks every visitor's token before forwarding
 * to the entry Service. Pure.
 */
import { ExplainedError } from '../../kube/errors';
import type { GateUpstream, PlannedShare } from '../agentRequest';

export type { GateUpstream, PlannedShare } from '../agentRequest';
import type { DesiredObject } from '../desired';
import { roleLabel } from '../labels';
import { boundedName } from '../names';
import { previewHostName, previewRoute, type PreviewHostSettings } from './previewHost';
import type { PreviewSpec } from '../spec';

/** Base name of the gate's objects (the plan prefixes it with the sandbox in a shared namespace). */
export const previewGateBaseName = 'tether-preview';
/** The gate's port in the agent pod, next to the agent's control (7457) and health (7458) ports. */
export const previewGatePort = 7459;
export const previewGateServicePort = 80;
export const previewKeySecretKey = 'key';
const keyMountPath = '/var/run/tether-preview';

/** The shareable host's settings and the sandbox's signing key, in its text form (previewToken.ts). */
export interface GateKeying {
  settings: PreviewHostSettings;
  key: string;
}

export interface GateRequest {
  /** Name of the gate's objects (Secret, Service, route). */
  name: string;
  namespace: string;
  sandbox: string;
  /** Ownership labels; the gate's objects carry the role preview-gate. */
  labels: Record<string, string>;
  /** Labels that select the agent's pod. */
  agentSelector: Record<string, string>;
  upstream: GateUpstream;
}

/** What the agent's container gets for the gate. */
export interface GateContainerParts {
  env: { name: string; value: string }[];
  port: { name: string; containerPort: number; protocol: string };
  volume: Record<string, unknown>;
  volumeMount: Record<string, unknown>;
}

export interface GateParts {
  /** The key Secret, the gate's Service and the Ingress or HTTPRoute. */
  objects: DesiredObject[];
  container: GateContainerParts;
  share: PlannedShare;
}

/** Name of the Secret holding the key, for a gate named `gateName`. */
export function previewKeySecretName(gateName: string): string {
  return `${gateName}-key`;
}

/** The gate's object name for a sandbox and placement, as the plan names it (own namespace or shared). */
export function previewGateName(sandbox: string, ownNamespace: boolean): string {
  return ownNamespace ? previewGateBaseName : boundedName([sandbox, previewGateBaseName]);
}

export function gateParts(keying: GateKeying, request: GateRequest): GateParts {
  const { name, namespace, upstream } = request;
  const labels = { ...request.labels, [roleLabel]: 'preview-gate' };
  const host = previewHostName(request.sandbox, keying.settings.domain);
  const secretName = previewKeySecretName(name);
  const objects: DesiredObject[] = [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: secretName, namespace, labels }, type: 'Opaque', data: { [previewKeySecretKey]: Buffer.from(keying.key, 'utf8').toString('base64') } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels }, spec: { type: 'ClusterIP', selector: { ...request.agentSelector }, ports: [{ name: 'http', port: previewGateServicePort, targetPort: previewGatePort, protocol: 'TCP' }] } },
    previewRoute(keying.settings, { name, namespace, labels, host, service: name, port: previewGateServicePort }),
  ];
  const env = [
    { name: 'TETHER_PREVIEW_PORT', value: String(previewGatePort) },
    { name: 'TETHER_PREVIEW_UPSTREAM', value: `${upstream.service}.${upstream.namespace ?? namespace}.svc:${upstream.port}` },
    ...(upstream.baggage ? [{ name: 'TETHER_PREVIEW_ROUTING', value: 'header' }] : []),
    { name: 'TETHER_PREVIEW_KEY_FILE', value: `${keyMountPath}/${previewKeySecretKey}` },
    { name: 'TETHER_PREVIEW_SANDBOX', value: request.sandbox },
  ];
  return {
    objects,
    container: {
      env,
      port: { name: 'gate', containerPort: previewGatePort, protocol: 'TCP' },
      // Readable by the pod's non-root user: the agent is the only program in the pod.
      volume: { name: 'preview-key', secret: { secretName, defaultMode: 0o444 } },
      volumeMount: { name: 'preview-key', mountPath: keyMountPath, readOnly: true },
    },
    share: { host, origin: `${keying.settings.scheme}://${host}` },
  };
}

/**
 * The gate's upstream for a preview section: see GateUpstream. `port` is the plan's entry port
 * (entryPort.ts); the gate cannot be planned without one.
 */
export function previewUpstream(spec: { baseline: { namespace: string }; preview: PreviewSpec }, entryService: string, port: number | undefined): GateUpstream {
  if (port === undefined) {
    throw new ExplainedError({
      reason: 'Invalid',
      what: 'Plan the shareable preview host',
      why: `the preview Service "${spec.preview.service}" has no port Tether can find in the baseline`,
      remedy: 'Add "port" to the preview section of tether.yaml',
    });
  }
  if (spec.preview.routing === 'header') return { service: spec.preview.service, namespace: spec.baseline.namespace, port, baggage: true };
  return { service: entryService, port };
}
