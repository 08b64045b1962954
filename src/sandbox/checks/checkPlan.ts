/**
 * What checks run against, rebuilt from the cluster: the sandbox's Lease (its labels, placement and
 * namespace) and the preview section of tether.yaml give the plan a check Job needs, so any front
 * door can run a sandbox's checks, not only the one that applied it.
 */
import type { KubeClient } from '../../kube/api';
import { ExplainedError } from '../../kube/errors';
import type { KubeObject } from '../../kube/types';
import type { DesiredObject } from '../desired';
import { belongsTo, ownerLabel, placementAnnotation, planHashAnnotation, sandboxLabel } from '../labels';
import { findSandboxLease } from '../lifecycle/holder';
import type { SandboxLocation } from '../lifecycle/lifecycle';
import { boundedName } from '../names';
import type { SandboxPlan } from '../plan';
import type { CheckSpec, SandboxSpec } from '../spec';
import { assertChecksAllowed } from './checkRun';

/** What a check run needs; `client` stays owned by whoever gave it. */
export interface CheckRunTarget {
  client: KubeClient;
  plan: SandboxPlan;
  /** The sandbox's Lease as it is in the cluster: the owner of every check Job. */
  lease: KubeObject;
  checks: CheckSpec[];
}

/** The parts of the sandbox's plan that checks use, from its Lease and the spec's preview section. */
export function checkPlanFrom(lease: KubeObject, spec: Pick<SandboxSpec, 'preview'>): SandboxPlan {
  const labels = lease.metadata.labels ?? {};
  const sandbox = labels[sandboxLabel] ?? '';
  const own = lease.metadata.annotations?.[placementAnnotation] === 'namespace';
  const namespace = lease.metadata.namespace ?? '';
  const plan: SandboxPlan = {
    sandbox,
    namespace,
    placement: own ? 'namespace' : 'shared',
    ownerLabel: labels[ownerLabel] ?? '',
    leaseName: lease.metadata.name,
    objects: [{ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: lease.metadata.name, namespace, labels: { ...labels } } } as DesiredObject],
    hash: lease.metadata.annotations?.[planHashAnnotation] ?? '',
    notes: [],
  };
  const preview = spec.preview;
  if (preview) {
    // As planSandbox names it: the Service keeps its name in a namespace of its own, is prefixed in a shared one.
    const service = own ? preview.service : boundedName([sandbox, preview.service]);
    plan.entry = preview.port === undefined ? { service, path: preview.path } : { service, port: preview.port, path: preview.path };
  }
  return plan;
}

/** The target of a check run for `where`, read from the cluster now, once the checks' permissions are held. */
export async function checkTargetFrom(client: KubeClient, where: SandboxLocation, spec: SandboxSpec, signal?: AbortSignal): Promise<CheckRunTarget> {
  const what = `Run the checks of sandbox "${where.sandbox}"`;
  const lease = await findSandboxLease(client, where.sandbox, where.namespace, signal);
  if (!lease || lease.metadata.namespace !== where.namespace || !belongsTo(lease, where.sandbox)) {
    throw new ExplainedError({ reason: 'NotFound', what, why: `namespace "${where.namespace}" has no sandbox "${where.sandbox}"`, remedy: 'Create the sandbox first', step: { code: 'preview' } });
  }
  if (spec.checks.length === 0) {
    throw new ExplainedError({ reason: 'NotFound', what, why: 'tether.yaml has no checks', remedy: 'Add a checks: section (name, image, command) to tether.yaml' });
  }
  const plan = checkPlanFrom(lease, spec);
  // Before any Job is created: a refusal names every missing permission, with the Role that grants them.
  await assertChecksAllowed(client, plan, signal);
  return { client, plan, lease, checks: spec.checks };
}

