/**
 * Pure planning: (spec, baseline objects, placement, who and which branch) -> the objects a
 * sandbox consists of, in the order they are applied. No cluster calls; golden-file tested.
 */
import { createHash } from 'node:crypto';
import { ExplainedError } from '../kube/errors';
import type { KubeObject } from '../kube/types';
import { cleanupEnv } from './lifecycle/cleanupKinds';
import type { DesiredObject } from './desired';
import { configCopies, referenceNotes, type ForkedBaseline } from './forks/configCopies';
import { aliasService, forkServices, servicesSelecting, type ObjectNaming } from './forks/fork';
import { forkWorkload } from './forks/forkWorkload';
import { agentDataPorts, servicesThroughAgent, targetPorts, type LocalForkPorts } from './agentPorts';
import { agentBaseName, type AgentBuilder, type PlannedAgent, type PlannedShare } from './agentRequest';
import { plannedEntryPort } from './preview/entryPort';
import { previewGateBaseName, previewGatePort, previewUpstream } from './preview/previewGateObjects';
import { agentLabel, managedByLabel, managedByValue, ownershipLabels, planHashAnnotation, roleLabel } from './labels';
import { leaseObject } from './lifecycle/lease';
import { boundedName, ownerLabelValue, requestedSandbox, sandboxLeaseName } from './names';
import { relayAccessObjects } from './rbac';
import { defaultControlPort, defaultHealthPort } from '../tunnel/relay';
import { selectorText } from '../tunnel/relayLabels';
import type { ForkPort, SandboxSpec } from './spec';

export type Placement = { mode: 'namespace' } | { mode: 'shared'; namespace: string };

export interface PlanInput {
  spec: SandboxSpec;
  /** Deployments, StatefulSets and Services of the baseline namespace (as listed), and the ConfigMaps and Secrets forks reference (readReferencedConfig). */
  baseline: readonly KubeObject[];
  placement: Placement;
  developer: string;
  branch: string;
  /** The sandbox's name when it was asked for by name (e.g. "pr-42"); default `<developer>-<branch>`. */
  sandbox?: string;
  /** Who renews the Lease, e.g. "jane@laptop/vscode". */
  holderIdentity: string;
  renewTime: Date;
  leaseDurationSeconds?: number;
  /**
   * The sandbox's one in-cluster agent (agentObjects.ts): the tunnel for `local` forks (required
   * for them), the gate of a shareable host, the self-cleanup at the TTL, and the end of the
   * editor's one connection that preview connections ride. Without it a sandbox has no local
   * forks, no shareable host, and goes only when deleted.
   */
  agent?: AgentBuilder;
  /** A shareable host is configured (the agent builder has its settings); it needs a preview section. */
  share?: boolean;
}

export interface SandboxPlan {
  sandbox: string;
  namespace: string;
  placement: Placement['mode'];
  ownerLabel: string;
  leaseName: string;
  /** Every object in apply order; the Namespace first in own-namespace mode. */
  objects: DesiredObject[];
  /**
   * Where the preview enters: a Service in the sandbox, and its port (`preview.port`, else the
   * Service's first; absent only when neither is known).
   */
  entry?: { service: string; port?: number; path: string };
  /** The shareable host (`<sandbox>.<domain>`) when a preview gate was planned. */
  share?: PlannedShare;
  /** The sandbox's agent, when it has one: what the editor connects to. */
  agent?: PlannedAgent;
  /** Hash of what the plan applies (renewal times left out); also on the Lease. */
  hash: string;
  /** Things the user should know about this plan, in plain words. */
  notes: string[];
}

export const defaultLeaseDurationSeconds = 60;
const agentAccessName = 'tether-agent';

function invalid(why: string, remedy: string): ExplainedError {
  return new ExplainedError({ reason: 'Invalid', what: 'Plan the sandbox', why, remedy });
}

export function planSandbox(input: PlanInput): SandboxPlan {
  const { spec, placement } = input;
  const sandbox = requestedSandbox(input);
  const owner = ownerLabelValue(input.developer);
  const labels = ownershipLabels(sandbox, owner);
  const own = placement.mode === 'namespace';
  const namespace = own ? sandbox : placement.namespace;
  const nameOf = own ? (name: string) => name : (name: string) => boundedName([sandbox, name]);
  const naming: ObjectNaming = { namespace, nameOf, labels, keepBaselinePodLabels: own };
  const services = input.baseline.filter((o) => o.kind === 'Service' && o.metadata.name !== 'kubernetes');
  const notes: string[] = [];
  if (!own) {
    notes.push(`You may not create namespaces, so the sandbox shares namespace "${namespace}" and its objects are named "${sandbox}-…".`);
    if (namespace !== spec.baseline.namespace) notes.push(`Services that are not forked are reached in "${spec.baseline.namespace}" by their full names (<service>.${spec.baseline.namespace}); short names do not resolve from "${namespace}".`);
  }

  const leaseName = sandboxLeaseName(sandbox, own);
  const selfCleanupEnv = { [cleanupEnv.sandbox]: sandbox, [cleanupEnv.namespace]: namespace, [cleanupEnv.lease]: leaseName, [cleanupEnv.ownsNamespace]: String(own) };
  const workloads: DesiredObject[] = [];
  const forkedServiceNames = new Set<string>();
  const forked: ForkedBaseline[] = [];
  const local: (LocalForkPorts & { services: DesiredObject[] })[] = [];
  for (const fork of spec.forks) {
    const { kind } = fork.workload;
    const ofKind = input.baseline.filter((o) => o.kind === kind);
    const baseline = ofKind.find((d) => d.metadata.name === fork.workload.name);
    if (!baseline) {
      const known = ofKind.map((d) => d.metadata.name).sort().join(', ') || 'none';
      throw new ExplainedError({
        reason: 'NotFound',
        what: `Fork ${kind} "${fork.workload.name}"`,
        why: `namespace "${spec.baseline.namespace}" has no ${kind} of that name (it has: ${known})`,
        remedy: 'Fix forks[].workload.name in tether.yaml, or deploy the baseline first',
      });
    }
    for (const s of servicesSelecting(baseline, services)) forkedServiceNames.add(s.metadata.name);
    const ownServices = forkServices(fork, baseline, services, naming);
    if (fork.mode === 'local') {
      if (!input.agent) throw invalid(`fork "${fork.workload.name}" runs locally, which needs the sandbox's agent (the relay)`, 'Use mode "image" or "env" until the agent can be deployed');
      const ports = fork.ports.length > 0 ? fork.ports : declaredPorts(baseline);
      if (ports.length === 0) throw invalid(`the local fork "${fork.workload.name}" has no ports and its baseline declares none`, 'Add "ports" to the fork in tether.yaml');
      local.push({ fork: fork.workload.name, ports, services: ownServices });
    } else {
      workloads.push(...ownServices, ...forkWorkload(fork, baseline, ownServices, naming));
      forked.push({ fork, baseline });
    }
  }
  // In a namespace of its own the forks' references would not resolve: the sandbox gets copies.
  if (own) workloads.push(...configCopies(forked, input.baseline, naming, spec.baseline.namespace));
  notes.push(...referenceNotes(forked, own, namespace, spec.baseline.namespace));
  const entryService = spec.preview && (forkedServiceNames.has(spec.preview.service) || !own ? nameOf(spec.preview.service) : spec.preview.service);

  // One agent for the whole sandbox: the local forks' Services select its pod, on its data ports.
  const agentName = nameOf(agentBaseName);
  const podSelector = { [managedByLabel]: managedByValue, [agentLabel]: agentName };
  const dataPorts = agentDataPorts(local, [defaultControlPort, defaultHealthPort, previewGatePort], local.flatMap((f) => f.services.flatMap(targetPorts)));
  for (const fork of local) {
    const through = servicesThroughAgent(fork.services, fork.fork, dataPorts, podSelector);
    workloads.push(...through.services);
    notes.push(...through.notes);
  }
  // Resolved once, here: the local preview, the checks' URL and the gate all enter through it.
  const entryPort = spec.preview && entryService ? plannedEntryPort(spec.preview, entryService, workloads, services) : undefined;
  const gate = input.share && spec.preview && entryService ? { name: nameOf(previewGateBaseName), upstream: previewUpstream({ baseline: spec.baseline, preview: spec.preview }, entryService, entryPort) } : undefined;
  const built = input.agent?.({
    name: agentName,
    namespace,
    sandbox,
    labels: { ...labels, [roleLabel]: 'agent' },
    podSelector,
    dataPorts,
    localForks: local.map((f) => f.fork),
    serviceAccountName: nameOf(agentAccessName),
    cleanupEnv: selfCleanupEnv,
    ...(gate ? { gate } : {}),
  });
  for (const object of built?.objects ?? []) assertOwned(object, sandbox, labels);
  workloads.push(...(built?.objects ?? []));
  if (!built) notes.push('No agent runs in the sandbox, so it is removed only when it is deleted, not when its TTL runs out.');
  const selfCleaning = Boolean(built);
  const plannedServices = new Set(workloads.filter((o) => o.kind === 'Service').map((o) => o.metadata.name));
  const aliases = own ? services.filter((s) => !forkedServiceNames.has(s.metadata.name) && !plannedServices.has(s.metadata.name)).map((s) => aliasService(s, spec.baseline.namespace, naming)) : [];

  const lease = leaseObject({
    name: leaseName,
    namespace,
    labels: { ...labels, [roleLabel]: 'lease' },
    holderIdentity: input.holderIdentity,
    developer: input.developer,
    baselineNamespace: spec.baseline.namespace,
    placement: placement.mode,
    ttlSeconds: spec.ttlSeconds,
    leaseDurationSeconds: input.leaseDurationSeconds ?? defaultLeaseDurationSeconds,
    renewTime: input.renewTime,
  });
  const content = [...aliases, ...workloads];
  const access = selfCleaning ? relayAccessObjects({ name: nameOf(agentAccessName), namespace, labels, leaseName, objects: [lease, ...content], ownsNamespace: own }) : [];
  const namespaceObject: DesiredObject[] = own ? [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { ...labels, [roleLabel]: 'namespace' } } }] : [];
  const objects = [...namespaceObject, lease, ...access, ...order(content)];
  const hash = planHash(objects);
  lease.metadata.annotations[planHashAnnotation] = hash;
  const plan: SandboxPlan = { sandbox, namespace, placement: placement.mode, ownerLabel: owner, leaseName, objects, hash, notes };
  if (spec.preview) {
    const service = entryService as string;
    plan.entry = entryPort === undefined ? { service, path: spec.preview.path } : { service, port: entryPort, path: spec.preview.path };
    if (!own && !forkedServiceNames.has(spec.preview.service)) notes.push(`The preview service "${spec.preview.service}" is not forked; the preview shows the baseline.`);
  }
  if (built?.share) plan.share = built.share;
  if (built) plan.agent = { name: agentName, namespace, selector: selectorText(podSelector), dataPorts, localForks: local.map((f) => f.fork) };
  return plan;
}

/** SHA-256 (16 hex) of the objects, without the Lease's renewal times. */
function planHash(objects: readonly DesiredObject[]): string {
  const stable = objects.map((o) => (o.kind === 'Lease' ? { ...o, spec: { ...(o.spec as Record<string, unknown>), renewTime: undefined, acquireTime: undefined } } : o));
  return createHash('sha256').update(JSON.stringify(stable)).digest('hex').slice(0, 16);
}

function declaredPorts(deployment: KubeObject): ForkPort[] {
  const containers = ((deployment.spec as { template?: { spec?: { containers?: { ports?: { containerPort: number }[] }[] } } })?.template?.spec?.containers ?? []);
  return containers.flatMap((c) => c.ports ?? []).map((p) => ({ port: p.containerPort }));
}

function assertOwned(object: DesiredObject, sandbox: string, labels: Record<string, string>): void {
  const missing = Object.entries(labels).filter(([k, v]) => object.metadata.labels?.[k] !== v);
  if (missing.length > 0) throw invalid(`the agent's object ${object.kind} "${object.metadata.name}" lacks the ownership labels of sandbox "${sandbox}"`, 'Build the agent\'s objects with the labels the plan passes in');
}

const applyOrder = ['ServiceAccount', 'Role', 'RoleBinding', 'Secret', 'ConfigMap', 'Service', 'Deployment', 'StatefulSet'];

/** Stable dependency order: what is referenced before what references it. */
function order(objects: DesiredObject[]): DesiredObject[] {
  const rank = (o: DesiredObject) => {
    const i = applyOrder.indexOf(o.kind ?? '');
    return i < 0 ? applyOrder.length : i;
  };
  return objects.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i).map(({ o }) => o);
}
