/**
 * The objects behind a sandbox's shareable host: the link-signing key in a Secret, a gate-only
 * relay (the relay agent bundle with its control listener off and the preview gate on) that checks
 * every visitor's token before forwarding to the entry Service, the gate's Service, and the
 * Ingress or HTTPRoute for `<sandbox>.<domain>`. Without a `local` fork there is no other relay, so
 * the gate also runs the sandbox's self-cleanup in place of the janitor. Pure.
 */
import { ExplainedError } from '../../kube/errors';
import { agentFileName, agentMountPath, defaultRelayImage, relayUserId } from '../../tunnel/relay';
import type { DesiredObject } from '../desired';
import { boundedName } from '../names';
import { previewHostName, previewRoute, type PreviewHostSettings } from './previewHost';
import type { PreviewSpec } from '../spec';

/** Base name of the gate's objects (the plan prefixes it with the sandbox in a shared namespace). */
export const previewGateBaseName = 'tether-preview';
/** The port the gate listens on in its pod, and the port of its Service. */
export const previewGatePort = 8080;
export const previewGateServicePort = 80;
export const previewKeySecretKey = 'key';
const keyMountPath = '/var/run/tether-preview';

export interface PreviewGateRequest {
  /** Name of the gate's objects. */
  name: string;
  namespace: string;
  sandbox: string;
  /** Ownership labels (with the role) every object carries. */
  labels: Record<string, string>;
  /** Where admitted visitors go (previewUpstream). */
  upstream: GateUpstream;
  /** Set when no other relay runs in the sandbox: the gate then removes the sandbox after its TTL. */
  selfCleanup?: { serviceAccountName: string; cleanupEnv: Record<string, string> };
}

/**
 * Where the gate forwards: the sandbox's entry Service; for a header-routed preview the baseline's
 * entry Service (`namespace` set), with `baggage: tether-sandbox=<sandbox>` added to every request
 * so the mesh routes calls to the forks, as the local header-routed preview does.
 */
export interface GateUpstream {
  service: string;
  port: number;
  /** The Service's namespace when it is not the sandbox's. */
  namespace?: string;
  baggage?: boolean;
}

export interface PlannedShare {
  /** The shareable host, e.g. "jane-main.preview.example.com". */
  host: string;
  /** Scheme and host, e.g. "https://jane-main.preview.example.com". */
  origin: string;
}

export interface PlannedPreviewGate {
  objects: DesiredObject[];
  share: PlannedShare;
}

export type PreviewGateBuilder = (request: PreviewGateRequest) => PlannedPreviewGate;

export interface PreviewGateOptions {
  settings: PreviewHostSettings;
  /** The sandbox's signing key, in its text form (previewToken.ts newPreviewKey). */
  key: string;
  /** The text of dist/relay-agent.js. */
  agentScript: string;
  /** The setting tether.relay.image. */
  image?: string;
  /** Poll interval of the self-cleanup, ms (default 30 s; tests shorten it). */
  cleanupPollMs?: number;
}

/** Name of the Secret holding the key, for a gate named `gateName`. */
export function previewKeySecretName(gateName: string): string {
  return `${gateName}-key`;
}

/** The gate's object name for a sandbox and placement, as the plan names it (own namespace or shared). */
export function previewGateName(sandbox: string, ownNamespace: boolean): string {
  return ownNamespace ? previewGateBaseName : boundedName([sandbox, previewGateBaseName]);
}

function gateDeployment(options: PreviewGateOptions, request: PreviewGateRequest, podLabels: Record<string, string>): DesiredObject {
  const { name, namespace, labels, upstream, selfCleanup } = request;
  const env = [
    { name: 'TETHER_CONTROL_PORT', value: 'off' },
    { name: 'TETHER_PREVIEW_PORT', value: String(previewGatePort) },
    { name: 'TETHER_PREVIEW_UPSTREAM', value: `${upstream.service}.${upstream.namespace ?? namespace}.svc:${upstream.port}` },
    ...(upstream.baggage ? [{ name: 'TETHER_PREVIEW_ROUTING', value: 'header' }] : []),
    { name: 'TETHER_PREVIEW_KEY_FILE', value: `${keyMountPath}/${previewKeySecretKey}` },
    { name: 'TETHER_PREVIEW_SANDBOX', value: request.sandbox },
    { name: 'NODE_OPTIONS', value: '--max-old-space-size=64' },
    ...Object.entries(selfCleanup?.cleanupEnv ?? {}).map(([n, value]) => ({ name: n, value })),
  ];
  if (selfCleanup && options.cleanupPollMs) env.push({ name: 'TETHER_CLEANUP_POLL_MS', value: String(options.cleanupPollMs) });
  const podSpec: Record<string, unknown> = {
    automountServiceAccountToken: Boolean(selfCleanup),
    enableServiceLinks: false,
    terminationGracePeriodSeconds: 5,
    securityContext: { runAsNonRoot: true, runAsUser: relayUserId, runAsGroup: relayUserId, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'gate',
        image: options.image || defaultRelayImage,
        imagePullPolicy: 'IfNotPresent',
        command: ['node', `${agentMountPath}/${agentFileName}`],
        env,
        ports: [{ name: 'gate', containerPort: previewGatePort, protocol: 'TCP' }],
        // A bare connection never reaches upstream: the gate forwards only admitted HTTP requests.
        readinessProbe: { tcpSocket: { port: previewGatePort }, initialDelaySeconds: 1, periodSeconds: 10 },
        resources: { requests: { cpu: '10m', memory: '48Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
        securityContext: { runAsNonRoot: true, runAsUser: relayUserId, runAsGroup: relayUserId, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
        volumeMounts: [
          { name: 'agent', mountPath: agentMountPath, readOnly: true },
          { name: 'key', mountPath: keyMountPath, readOnly: true },
        ],
      },
    ],
    volumes: [
      { name: 'agent', configMap: { name, defaultMode: 0o444 } },
      // Readable by the pod's non-root user: the gate is the only program in the pod.
      { name: 'key', secret: { secretName: previewKeySecretName(name), defaultMode: 0o444 } },
    ],
  };
  if (selfCleanup) podSpec.serviceAccountName = selfCleanup.serviceAccountName;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: { replicas: 1, revisionHistoryLimit: 1, strategy: { type: 'Recreate' }, selector: { matchLabels: podLabels }, template: { metadata: { labels: podLabels }, spec: podSpec } },
  };
}

export function previewGateBuilder(options: PreviewGateOptions): PreviewGateBuilder {
  return (request) => {
    const { name, namespace, labels } = request;
    const host = previewHostName(request.sandbox, options.settings.domain);
    const podLabels = { ...labels, 'tether.dev/preview-gate': name };
    const objects: DesiredObject[] = [
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: previewKeySecretName(name), namespace, labels }, type: 'Opaque', data: { [previewKeySecretKey]: Buffer.from(options.key, 'utf8').toString('base64') } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data: { [agentFileName]: options.agentScript } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels }, spec: { type: 'ClusterIP', selector: podLabels, ports: [{ name: 'http', port: previewGateServicePort, targetPort: previewGatePort, protocol: 'TCP' }] } },
      gateDeployment(options, request, podLabels),
      previewRoute(options.settings, { name, namespace, labels, host, service: name, port: previewGateServicePort }),
    ];
    return { objects, share: { host, origin: `${options.settings.scheme}://${host}` } };
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
