/** The simulator's context name and a throwaway pod in it, for tests that change the cluster. */
import * as assert from 'node:assert/strict';
import { clusterRest } from './clusterRest';

export function simContext(): string {
  const name = process.env.TETHER_TEST_SIM_CONTEXT;
  if (!name) throw new Error('TETHER_TEST_SIM_CONTEXT is not set: these tests need the simulator');
  return name;
}

/** Creates a bare pod in `namespace` through the REST API; returns a function that deletes it. */
export async function createPod(namespace: string, name: string): Promise<() => Promise<void>> {
  const rest = clusterRest();
  const created = await rest.call('POST', `/api/v1/namespaces/${namespace}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { 'app.kubernetes.io/name': 'host-test' } },
    spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }] },
  });
  assert.equal(created.status, 201, `creating pod ${name}: ${JSON.stringify(created.body)}`);
  return async () => {
    const deleted = await rest.call('DELETE', `/api/v1/namespaces/${namespace}/pods/${name}?gracePeriodSeconds=0`);
    assert.ok(deleted.status === 200 || deleted.status === 404, `deleting pod ${name}: ${deleted.status}`);
  };
}
