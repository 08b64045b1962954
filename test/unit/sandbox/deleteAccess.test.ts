import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeCheck } from '../../../src/kube/role';
import { profileRules } from '../../../src/kube/permissions/profiles';
import { rulesCover } from '../../../src/kube/permissions/rules';
import { deleteChecks } from '../../../src/sandbox/lifecycle/deleteAccess';

const said = (checks: ReturnType<typeof deleteChecks>) => checks.map(describeCheck).sort();

test('deleting a shared sandbox asks to list every kind a sandbox holds, to read and delete only the kinds it holds, and nothing outside its namespace', () => {
  const checks = deleteChecks({ sandbox: 'jane-main', namespace: 'shop', kinds: ['Deployment', 'Service', 'Lease'], ownsNamespace: false });
  assert.ok(checks.every((c) => c.namespace === 'shop' && c.resource !== 'namespaces'), said(checks).join('; '));
  assert.ok(said(checks).includes('list jobs.batch in namespace "shop"'), 'a Job may be there without the plan knowing (checks)');
  assert.ok(said(checks).includes('delete deployments.apps in namespace "shop"'));
  assert.ok(!said(checks).includes('delete statefulsets.apps in namespace "shop"'), 'it holds no StatefulSet');
  assert.ok(!checks.some((c) => c.resource === 'ingresses' || c.resource === 'httproutes'), 'a refused list of shareable-host kinds means there are none');
  // What the documented shared-namespace Role grants is enough.
  const { rules } = profileRules('developer-shared', 'shop');
  assert.deepEqual(checks.filter((c) => !rulesCover(rules, c)), []);
});

test('a kind whose list was refused may be held, so reading and deleting it is asked too; an own namespace is asked for by name', () => {
  const checks = deleteChecks({ sandbox: 'jane-main', namespace: 'jane-main', kinds: ['Lease', 'Job', 'Ingress'], ownsNamespace: true });
  const text = said(checks);
  assert.ok(text.includes('delete jobs.batch in namespace "jane-main"'));
  assert.ok(text.includes('delete ingresses.networking.k8s.io in namespace "jane-main"'), 'an Ingress it holds is deleted like the rest');
  assert.ok(text.includes('get namespaces "jane-main" in namespace "jane-main"'));
  assert.ok(text.includes('delete namespaces "jane-main" in namespace "jane-main"'));
  assert.ok(!text.some((t) => t.startsWith('list leases') && !t.includes('in namespace')), 'no cluster-wide list: Delete Sandbox searches the namespaces it may read');
});
