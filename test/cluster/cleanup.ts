/**
 * Removes what the cluster-facing tests created, found by label: the fixture's namespaces and the
 * namespaces of sandboxes whose baseline was one of them. Only objects carrying Tether's ownership
 * labels are deleted; everything else is left alone.
 */
import type { KubeClient } from '../../src/kube/api';
import { kinds } from '../../src/kube/kinds';
import type { KubeObject } from '../../src/kube/types';
import { baselineAnnotation, isTetherOwned, placementAnnotation, sandboxSelector } from '../../src/sandbox/labels';
import { testNamespacePrefix, testNamespaceSelector } from './testLabels';

export interface CleanupScope {
  /** Only this run's namespaces; without it, every run's. */
  run?: string;
}

export interface CleanupReport {
  removed: string[];
  /** What could not be looked at or removed, and why. */
  problems: string[];
}

function isNotFound(err: unknown): boolean {
  return (err as { reason?: string }).reason === 'NotFound';
}

/** Sandbox namespaces whose Lease names one of `baselines` (or any test namespace) as baseline. */
async function sandboxNamespaces(client: KubeClient, baselines: Set<string> | undefined, problems: string[]): Promise<string[]> {
  try {
    const leases = await client.listAll<KubeObject>(kinds.Lease, undefined, { labelSelector: sandboxSelector() });
    return leases.items
      .filter((lease) => {
        const annotations = lease.metadata.annotations ?? {};
        const baseline = annotations[baselineAnnotation] ?? '';
        const fromTest = baselines ? baselines.has(baseline) : baseline.startsWith(testNamespacePrefix);
        return fromTest && annotations[placementAnnotation] === 'namespace' && isTetherOwned(lease);
      })
      .map((lease) => lease.metadata.namespace ?? '')
      .filter((ns) => ns !== '' && !baselines?.has(ns));
  } catch (err) {
    problems.push(`could not list sandbox Leases in all namespaces: ${(err as Error).message}`);
    return [];
  }
}

async function deleteOwnedNamespace(client: KubeClient, name: string, report: CleanupReport): Promise<void> {
  try {
    const ns = await client.get<KubeObject>(kinds.Namespace, undefined, name);
    if (!isTetherOwned(ns)) {
      report.problems.push(`namespace ${name} lacks Tether's labels: left alone`);
      return;
    }
    if (ns.metadata.deletionTimestamp) return;
    await client.delete(kinds.Namespace, undefined, name, { propagationPolicy: 'Background' });
    report.removed.push(`Namespace/${name}`);
  } catch (err) {
    if (!isNotFound(err)) report.problems.push(`namespace ${name}: ${(err as Error).message}`);
  }
}

/** Deletes the test namespaces of `scope` and the sandbox namespaces made from them. */
export async function removeTestObjects(client: KubeClient, scope: CleanupScope = {}): Promise<CleanupReport> {
  const report: CleanupReport = { removed: [], problems: [] };
  const listed = await client.listAll<KubeObject>(kinds.Namespace, undefined, { labelSelector: testNamespaceSelector(scope.run) });
  const testNamespaces = listed.items.filter((ns) => !ns.metadata.deletionTimestamp).map((ns) => ns.metadata.name);
  const baselines = scope.run ? new Set(listed.items.map((ns) => ns.metadata.name)) : undefined;
  const sandboxes = await sandboxNamespaces(client, baselines, report.problems);
  for (const name of [...new Set(sandboxes)]) await deleteOwnedNamespace(client, name, report);
  for (const name of testNamespaces) await deleteOwnedNamespace(client, name, report);
  return report;
}
