/**
 * The fork of a baseline StatefulSet: one replica in the sandbox, its own headless Service for the
 * pods' DNS names, and fresh volume claims. A StatefulSet's claims are named
 * `<template>-<statefulset>-<ordinal>` in the StatefulSet's namespace, so the fork's claims differ
 * from the baseline's by namespace (own namespace) or by the prefixed StatefulSet name (shared
 * namespace) and can never bind the baseline's data.
 */
import type { KubeObject } from '../../kube/types';
import type { DesiredObject } from '../desired';
import { forkWorkloadBase, isHeadless, type ObjectNaming } from './fork';
import { forkLabel, roleLabel } from '../labels';
import type { ForkSpec } from '../spec';

interface ClaimTemplate {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

/**
 * The claim templates with Tether's labels (the claims the controller creates carry them, so they
 * are recognisably the sandbox's), without what pins a claim to particular volumes: `volumeName`
 * and `selector` name the baseline's PersistentVolumes.
 */
function forkClaimTemplates(templates: readonly ClaimTemplate[], labels: Record<string, string>): ClaimTemplate[] {
  return templates.map((t) => {
    const spec = structuredClone(t.spec ?? {});
    delete spec.volumeName;
    delete spec.selector;
    const metadata: ClaimTemplate['metadata'] = { name: t.metadata?.name, labels: { ...(t.metadata?.labels ?? {}), ...labels } };
    if (t.metadata?.annotations) metadata.annotations = { ...t.metadata.annotations };
    return { metadata, spec };
  });
}

/**
 * The headless Service the fork's `serviceName` names: the sandbox's copy of the baseline's
 * governing Service when that copy is headless (forkServices keeps it so), else one of its own.
 */
function governingService(baseline: KubeObject, forkServices: readonly DesiredObject[], selector: Record<string, string>, naming: ObjectNaming, fork: ForkSpec): { name: string; created?: DesiredObject } {
  const baselineName = (baseline.spec as { serviceName?: string } | undefined)?.serviceName || fork.workload.name;
  const copy = forkServices.find((s) => s.metadata.name === naming.nameOf(baselineName));
  if (copy && isHeadless(copy)) return { name: copy.metadata.name };
  // A non-headless copy already holds the baseline's name; the headless one gets a name beside it.
  const name = naming.nameOf(copy ? `${baselineName}-headless` : baselineName);
  const ports = (forkServices[0]?.spec as { ports?: unknown[] } | undefined)?.ports ?? [];
  const created: DesiredObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: naming.namespace, labels: { ...naming.labels, [forkLabel]: fork.workload.name, [roleLabel]: 'service' } },
    spec: { type: 'ClusterIP', clusterIP: 'None', selector, ...(ports.length > 0 ? { ports } : {}) },
  };
  return { name, created };
}

/**
 * The baseline StatefulSet copied into the sandbox with the fork's image and env applied, and the
 * headless Service it needs when the fork's Services have none. Claims are deleted with the fork
 * (persistentVolumeClaimRetentionPolicy), so a removed sandbox leaves no volumes behind.
 */
export function forkStatefulSet(fork: ForkSpec, baseline: KubeObject, forkServices: readonly DesiredObject[], naming: ObjectNaming): DesiredObject[] {
  const { metadata, template, selector, spec } = forkWorkloadBase(fork, baseline, naming);
  const governing = governingService(baseline, forkServices, selector, naming, fork);
  const claims = (spec.volumeClaimTemplates as ClaimTemplate[] | undefined) ?? [];
  const forked: Record<string, unknown> = {
    ...spec,
    replicas: 1,
    serviceName: governing.name,
    selector: { matchLabels: selector },
    template,
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
  };
  if (claims.length > 0) forked.volumeClaimTemplates = forkClaimTemplates(claims, { ...naming.labels, [forkLabel]: fork.workload.name, [roleLabel]: 'volume' });
  const statefulSet: DesiredObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata, spec: forked };
  return governing.created ? [governing.created, statefulSet] : [statefulSet];
}
