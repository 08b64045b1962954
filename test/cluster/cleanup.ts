/**
 * Removes what the cluster-facing tests created, found by label: the fixture's namespaces (owner
 * `tether-test`) and the namespaces of sandboxes the tests made (owner `<name>-test<run>`). Only
 * namespaces carrying Tether's ownership labels are deleted; everything else is left alone.
 */
import type { KubeClient } from '../../src/kube/api';
import { kinds } from '../../src/kube/kinds';
import type { KubeObject } from '../../src/kube/types';
import { isTetherOwned, managedByLabel, managedByValue, ownerLabel, roleLabel } from '../../src/sandbox/labels';
import { runOfOwner, testNamespaceSelector } from './testLabels';

export interface CleanupScope {
  /** Only this run's namespaces; without it, every run's. */
  run?: string;
}

export interface CleanupReport {
  removed: string[];
  /** What could not be removed, and why. */
  problems: string[];
}

function isNotFound(err: unknown): boolean {
  return (err as { reason?: string }).reason === 'NotFound';
}

/** Namespaces Tether created for sandboxes of the tests' developers. */
async function sandboxNamespaces(client: KubeClient, run: string | undefined): Promise<KubeObject[]> {
  const listed = await client.listAll<KubeObject>(kinds.Namespace, undefined, { labelSelector: `${managedByLabel}=${managedByValue},${roleLabel}=namespace` });
  return listed.items.filter((ns) => {
    const owner = runOfOwner(ns.metadata.labels?.[ownerLabel]);
    return owner !== undefined && (run === undefined || owner === run);
  });
}

async function deleteOwnedNamespace(client: KubeClient, ns: KubeObject, report: CleanupReport): Promise<void> {
  const name = ns.metadata.name;
  if (!isTetherOwned(ns)) {
    report.problems.push(`namespace ${name} lacks Tether's labels: left alone`);
    return;
  }
  if (ns.metadata.deletionTimestamp) return;
  try {
    await client.delete(kinds.Namespace, undefined, name, { propagationPolicy: 'Background' });
    report.removed.push(`Namespace/${name}`);
  } catch (err) {
    if (!isNotFound(err)) report.problems.push(`namespace ${name}: ${(err as Error).message}`);
  }
}

/** Deletes the sandbox namespaces and the test namespaces of `scope`. */
export async function removeTestObjects(client: KubeClient, scope: CleanupScope = {}): Promise<CleanupReport> {
  const report: CleanupReport = { removed: [], problems: [] };
  for (const ns of await sandboxNamespaces(client, scope.run)) await deleteOwnedNamespace(client, ns, report);
  const tests = await client.listAll<KubeObject>(kinds.Namespace, undefined, { labelSelector: testNamespaceSelector(scope.run) });
  for (const ns of tests.items) await deleteOwnedNamespace(client, ns, report);
  return report;
}
