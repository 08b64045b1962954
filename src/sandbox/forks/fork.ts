/**
 * Pure builders for a sandbox's workload objects: the copy of a baseline workload with its image
 * or environment changed, the Services that make the fork answer to the baseline's service names,
 * and ExternalName aliases for the services that stay in the baseline.
 */
import { ExplainedError } from '../../kube/errors';
import type { KubeObject } from '../../kube/types';
import type { DesiredMeta, DesiredObject } from '../desired';
import { forkedFromAnnotation, forkLabel, roleLabel } from '../labels';
import type { ForkSpec } from '../spec';

interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  ports?: { containerPort: number; name?: string; protocol?: string }[];
  [key: string]: unknown;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { containers?: Container[]; [key: string]: unknown };
}

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  nodePort?: number;
  appProtocol?: string;
}

export interface ObjectNaming {
  namespace: string;
  /** The name a baseline object's counterpart gets in the sandbox. */
  nameOf(baselineName: string): string;
  labels: Record<string, string>;
  /** Own namespace: pods keep their baseline labels too. Shared: only Tether's, so baseline Services never select them. */
  keepBaselinePodLabels: boolean;
}

const clone = <T>(value: T): T => structuredClone(value);

export function templateOf(deployment: KubeObject): PodTemplate {
  return ((deployment.spec as { template?: PodTemplate } | undefined)?.template ?? {}) as PodTemplate;
}

/** Labels of the fork's pods, and the selector its Deployment and Services use. */
export function forkPodLabels(fork: ForkSpec, baseline: KubeObject, naming: ObjectNaming): { labels: Record<string, string>; selector: Record<string, string> } {
  const selector = { ...naming.labels, [forkLabel]: fork.workload.name };
  const base = naming.keepBaselinePodLabels ? (templateOf(baseline).metadata?.labels ?? {}) : {};
  return { labels: { ...base, ...selector }, selector };
}

function notFound(what: string, why: string, remedy: string): ExplainedError {
  return new ExplainedError({ reason: 'NotFound', what, why, remedy });
}

/** Env entries after applying `changes`: same-named entries replaced in place, new ones appended. */
export function mergeEnv(env: Container['env'], changes: Record<string, string>): NonNullable<Container['env']> {
  const out = (env ?? []).map((e) => (e.name in changes ? { name: e.name, value: changes[e.name] } : clone(e)));
  for (const [name, value] of Object.entries(changes)) {
    if (!out.some((e) => e.name === name)) out.push({ name, value });
  }
  return out;
}

/** What every workload fork shares: its metadata, the pod template with image, command, args and env applied, the selector and the rest of the baseline's spec. */
export interface ForkedWorkload {
  metadata: DesiredMeta;
  template: PodTemplate;
  selector: Record<string, string>;
  /** A copy of the baseline's spec, to adjust per kind. */
  spec: Record<string, unknown>;
}

export function forkWorkloadBase(fork: ForkSpec, baseline: KubeObject, naming: ObjectNaming): ForkedWorkload {
  const what = `Fork ${fork.workload.kind} "${fork.workload.name}"`;
  const template = clone(templateOf(baseline));
  const containers = template.spec?.containers ?? [];
  const target = fork.container ? containers.find((c) => c.name === fork.container) : containers[0];
  if (!target) {
    const names = containers.map((c) => c.name).join(', ') || 'none';
    throw notFound(what, `the baseline has no container "${fork.container ?? '(first)'}" (it has: ${names})`, 'Fix "container" in tether.yaml');
  }
  if (fork.mode === 'image' && fork.image) target.image = fork.image;
  // Without an override the baseline's command and args stay: a new build of the same app runs as
  // the baseline does. An empty override drops them, so the image's own ENTRYPOINT and CMD run.
  for (const key of ['command', 'args'] as const) {
    const override = fork[key];
    if (override === undefined) continue;
    if (override.length > 0) target[key] = [...override];
    else delete target[key];
  }
  if (Object.keys(fork.env).length > 0) target.env = mergeEnv(target.env, fork.env);
  const pod = forkPodLabels(fork, baseline, naming);
  template.metadata = { ...(template.metadata ?? {}), labels: pod.labels };
  return {
    metadata: {
      name: naming.nameOf(fork.workload.name),
      namespace: naming.namespace,
      labels: { ...naming.labels, [forkLabel]: fork.workload.name, [roleLabel]: 'fork' },
      annotations: { [forkedFromAnnotation]: `${baseline.metadata.namespace}/${baseline.metadata.name}` },
    },
    template,
    selector: pod.selector,
    spec: clone((baseline.spec ?? {}) as Record<string, unknown>),
  };
}

/** The baseline Deployment copied into the sandbox with the fork's image and env applied. */
export function forkDeployment(fork: ForkSpec, baseline: KubeObject, naming: ObjectNaming): DesiredObject {
  const { metadata, template, selector, spec } = forkWorkloadBase(fork, baseline, naming);
  delete spec.paused;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { ...spec, replicas: 1, selector: { matchLabels: selector }, template } };
}

/** A Service selector picks pods with these labels (an empty selector picks none Tether manages). */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Baseline Services whose selector picks the workload's pods. */
export function servicesSelecting(baseline: KubeObject, services: readonly KubeObject[]): KubeObject[] {
  const labels = templateOf(baseline).metadata?.labels ?? {};
  return services.filter((s) => selects((s.spec as { selector?: Record<string, string> } | undefined)?.selector, labels));
}

/** Service ports; with `workload`, named target ports become the numbers they name in its pods (a relay names its ports differently). */
function portsOf(service: KubeObject, workload?: KubeObject): ServicePort[] {
  const named = new Map((workload ? (templateOf(workload).spec?.containers ?? []) : []).flatMap((c) => c.ports ?? []).flatMap((p) => (p.name ? [[p.name, p.containerPort] as const] : [])));
  return ((service.spec as { ports?: ServicePort[] } | undefined)?.ports ?? []).map((p) => {
    const port: ServicePort = { port: p.port, protocol: p.protocol ?? 'TCP' };
    if (p.name) port.name = p.name;
    const target = typeof p.targetPort === 'string' ? (named.get(p.targetPort) ?? p.targetPort) : p.targetPort;
    port.targetPort = target ?? p.port;
    if (p.appProtocol) port.appProtocol = p.appProtocol;
    return port;
  });
}

/** A headless Service (clusterIP None) gives each pod a DNS name; its copy must stay headless so those names keep resolving. */
export function isHeadless(service: KubeObject | DesiredObject): boolean {
  return (service.spec as { clusterIP?: string } | undefined)?.clusterIP === 'None';
}

function service(name: string, naming: ObjectNaming, labels: Record<string, string>, spec: Record<string, unknown>): DesiredObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: naming.namespace, labels }, spec };
}

/**
 * Services for a fork: one per baseline Service that selects the workload (same ports, selecting
 * the fork's pods), or, if none does, one named after the workload from the fork's ports.
 */
export function forkServices(fork: ForkSpec, baseline: KubeObject, services: readonly KubeObject[], naming: ObjectNaming): DesiredObject[] {
  const { selector } = forkPodLabels(fork, baseline, naming);
  const labels = { ...naming.labels, [forkLabel]: fork.workload.name, [roleLabel]: 'service' };
  const matching = servicesSelecting(baseline, services);
  if (matching.length > 0) {
    return matching.map((s) => service(naming.nameOf(s.metadata.name), naming, labels, { type: 'ClusterIP', ...(isHeadless(s) ? { clusterIP: 'None' } : {}), selector, ports: portsOf(s, baseline) }));
  }
  const declared = templateOf(baseline).spec?.containers?.flatMap((c) => c.ports ?? []) ?? [];
  const ports = fork.ports.length > 0 ? fork.ports.map((p) => p.port) : declared.map((p) => p.containerPort);
  if (ports.length === 0) return [];
  return [service(naming.nameOf(fork.workload.name), naming, labels, { type: 'ClusterIP', selector, ports: ports.map((port) => ({ name: `p${port}`, port, targetPort: port, protocol: 'TCP' })) })];
}

/** ExternalName Services so a baseline service's usual name resolves from the sandbox's namespace. */
export function aliasService(baselineService: KubeObject, baselineNamespace: string, naming: ObjectNaming): DesiredObject {
  const ports = portsOf(baselineService).map(({ name, port, protocol }) => (name ? { name, port, protocol } : { port, protocol }));
  const spec: Record<string, unknown> = { type: 'ExternalName', externalName: `${baselineService.metadata.name}.${baselineNamespace}.svc.cluster.local` };
  if (ports.length > 0) spec.ports = ports;
  return service(baselineService.metadata.name, naming, { ...naming.labels, [roleLabel]: 'baseline-alias' }, spec);
}
