/**
 * The cluster objects of one tunnel, as pure data: the agent bundle in a ConfigMap, the session
 * token in a Secret, a one-replica relay Deployment that runs the bundle on a stock Node image and
 * meets Pod Security "restricted", and the Service in-cluster callers reach it through.
 *
 * The agent's control port listens on 127.0.0.1 inside the pod (only pods/portforward reaches it);
 * its data ports listen on all addresses and are what the Service targets.
 */
import { createHash } from 'node:crypto';
import { relaySelector, tunnelLabels, type TunnelIdentity } from './relayLabels';

export const defaultRelayImage = 'node:22-alpine';
export const defaultControlPort = 7457;
/** The agent's health endpoint on 127.0.0.1, which the readiness probe asks. */
export const defaultHealthPort = 7458;
export const agentMountPath = '/opt/tether';
export const agentFileName = 'relay-agent.js';
export const tokenSecretKey = 'token';
/** The non-root user of the stock node images ("node"). */
export const relayUserId = 1000;

export interface RelayPort {
  /** Port name on the Service (required by Kubernetes when there are several). */
  name?: string;
  /** The port in-cluster callers dial on the Service. */
  port: number;
  /** The port the agent listens on for that traffic (default: `port`). */
  targetPort?: number;
}

export interface RelaySpec extends TunnelIdentity {
  namespace: string;
  /** Image that provides `node` (the setting `tether.relay.image`). */
  image?: string;
  /** The text of dist/relay-agent.js. */
  agentScript: string;
  /** The per-session token the agent checks in the hello. */
  token: string;
  controlPort?: number;
  /** Ports of the Service that takes the forked workload's place. */
  ports: RelayPort[];
  /** Name of that Service (default: the tunnel's name). */
  serviceName?: string;
  /** Runs the pod as this service account with its token mounted (default: none mounted). */
  serviceAccountName?: string;
  /**
   * Makes the relay pod one more endpoint of the workload's own Service, which stays untouched:
   * the pod carries that Service's selector labels, and its data ports are named like the
   * workload's container ports so target ports given by name resolve to it as well.
   */
  join?: RelayJoin;
}

export interface RelayJoin {
  /** The workload Service's name (for messages) and selector. */
  service: string;
  selector: Record<string, string>;
  /** Container port names of the workload by port number. */
  portNames: Record<number, string>;
}

/** The manifests this module produces: plain JSON objects ready for the API server. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface RelayObjects {
  configMap: Manifest;
  secret: Manifest;
  deployment: Manifest;
  service: Manifest;
}

function meta(spec: RelaySpec, name: string, annotations?: Record<string, string>): Manifest['metadata'] {
  const out: Manifest['metadata'] = { name, namespace: spec.namespace, labels: tunnelLabels(spec) };
  if (annotations) out.annotations = annotations;
  return out;
}

/** The distinct ports the agent listens on for in-cluster traffic, in order. */
export function dataPorts(ports: RelayPort[]): number[] {
  return [...new Set(ports.map((p) => p.targetPort ?? p.port))];
}

function checkSpec(spec: RelaySpec): void {
  for (const p of [...spec.ports.map((x) => x.port), ...dataPorts(spec.ports), spec.controlPort ?? defaultControlPort]) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new RangeError(`${p} is not a TCP port`);
  }
  for (const [own, role] of [
    [spec.controlPort ?? defaultControlPort, 'control'],
    [defaultHealthPort, 'health'],
  ] as const) {
    if (dataPorts(spec.ports).includes(own)) throw new RangeError(`the ${role} port ${own} cannot also carry in-cluster traffic`);
  }
  if (spec.ports.length > 1 && spec.ports.some((p) => !p.name)) throw new RangeError('every port needs a name when the Service has several');
  if (spec.join) {
    const own = Object.keys(tunnelLabels(spec));
    const clash = Object.keys(spec.join.selector).filter((k) => own.includes(k));
    if (clash.length) throw new RangeError(`the relay cannot join Service "${spec.join.service}": its selector uses ${clash.join(', ')}, which the relay's pod sets to its own values`);
    if (Object.keys(spec.join.selector).length === 0) throw new RangeError(`the relay cannot join Service "${spec.join.service}": it has no selector`);
  }
}

/**
 * Exits 0 when the agent's health endpoint (src/agent/health.ts) answers 200 inside the pod. It
 * asks the health port, not the control port: a connection there that leaves without a hello
 * would be logged as a rejected extension every period.
 */
export function healthProbeScript(port: number): string {
  return `require('http').get({host:'127.0.0.1',port:${port},path:'/healthz',timeout:4000},function(r){process.exit(r.statusCode===200?0:1)}).on('error',function(){process.exit(1)}).on('timeout',function(){process.exit(1)})`;
}

/** The agent container's readiness probe: its health endpoint, from inside the pod. */
export function agentReadinessProbe(): Record<string, unknown> {
  return {
    exec: { command: ['node', '-e', healthProbeScript(defaultHealthPort)] },
    initialDelaySeconds: 1,
    periodSeconds: 20,
    timeoutSeconds: 5,
    failureThreshold: 3,
  };
}

function relayContainer(spec: RelaySpec, secretName: string): Record<string, unknown> {
  const ports = dataPorts(spec.ports);
  return {
    name: 'relay',
    image: spec.image || defaultRelayImage,
    imagePullPolicy: 'IfNotPresent',
    command: ['node', `${agentMountPath}/${agentFileName}`],
    env: [
      { name: 'TETHER_CONTROL_PORT', value: String(spec.controlPort ?? defaultControlPort) },
      { name: 'TETHER_HEALTH_PORT', value: String(defaultHealthPort) },
      { name: 'TETHER_DATA_PORTS', value: ports.join(',') },
      { name: 'TETHER_TOKEN', valueFrom: { secretKeyRef: { name: secretName, key: tokenSecretKey } } },
      { name: 'NODE_OPTIONS', value: '--max-old-space-size=64' },
    ],
    ports: ports.map((port, i) => ({ name: spec.join?.portNames[port] ?? `data-${i}`, containerPort: port, protocol: 'TCP' })),
    // Ready once the agent's health endpoint answers. A TCP probe on a data port would be carried
    // to the developer's process as a connection every period, so the probe stays inside the pod.
    readinessProbe: agentReadinessProbe(),
    resources: {
      requests: { cpu: '10m', memory: '48Mi' },
      limits: { cpu: '500m', memory: '128Mi' },
    },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: relayUserId,
      runAsGroup: relayUserId,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [
      { name: 'agent', mountPath: agentMountPath, readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
}

/** Every object of the tunnel for `spec`. Throws RangeError for ports that cannot work. */
export function relayObjects(spec: RelaySpec): RelayObjects {
  if (spec.ports.length === 0) throw new RangeError('a relay needs at least one port for in-cluster callers');
  const workload = relayWorkload(spec);
  const service: Manifest = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(spec, spec.serviceName ?? spec.name),
    spec: {
      type: 'ClusterIP',
      selector: relaySelector(spec.name),
      ports: spec.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, targetPort: p.targetPort ?? p.port, protocol: 'TCP' })),
    },
  };
  return { ...workload, service };
}

/**
 * The agent's ConfigMap, token Secret and Deployment without a Service of its own (a sandbox's
 * Services select its agent instead). No ports means no tunnel listener: the agent then only
 * dials for the extension. Throws RangeError for ports that cannot work.
 */
export function relayWorkload(spec: RelaySpec): Omit<RelayObjects, 'service'> {
  checkSpec(spec);
  const name = spec.name;
  const secretName = `${name}-token`;
  const agentHash = createHash('sha256').update(spec.agentScript).digest('hex').slice(0, 16);
  // A new token or agent rolls the pod: both reach the agent only when it starts.
  const tokenHash = createHash('sha256').update(spec.token).digest('hex').slice(0, 16);
  const selector = relaySelector(name);
  const configMap: Manifest = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(spec, name),
    data: { [agentFileName]: spec.agentScript },
  };
  const secret: Manifest = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(spec, secretName),
    type: 'Opaque',
    data: { [tokenSecretKey]: Buffer.from(spec.token, 'utf8').toString('base64') },
  };
  const podSpec: Record<string, unknown> = {
    automountServiceAccountToken: Boolean(spec.serviceAccountName),
    enableServiceLinks: false,
    terminationGracePeriodSeconds: 5,
    securityContext: { runAsNonRoot: true, runAsUser: relayUserId, runAsGroup: relayUserId, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [relayContainer(spec, secretName)],
    volumes: [
      { name: 'agent', configMap: { name, defaultMode: 0o444 } },
      { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
    ],
  };
  if (spec.serviceAccountName) podSpec.serviceAccountName = spec.serviceAccountName;
  const deployment: Manifest = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(spec, name),
    spec: {
      replicas: 1,
      revisionHistoryLimit: 1,
      // One relay at a time: the extension holds one control connection.
      strategy: { type: 'Recreate' },
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...spec.join?.selector, ...tunnelLabels(spec) }, annotations: { 'tether.dev/agent-sha256': agentHash, 'tether.dev/token-sha256': tokenHash } },
        spec: podSpec,
      },
    },
  };
  return { configMap, secret, deployment };
}
