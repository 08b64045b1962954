import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needsFor, refFromUriParts, refToUriParts, slimForDescribe, refOf } from '../../../src/ui/documents/resourceRef';
import { buildContainerChildren, podNode } from '../../../src/ui/views/clusterModel';
import { sample } from './fixtures/samples';

test('document URIs round-trip, containers and odd context names included', () => {
  const refs = [
    { context: 'arn:aws:eks:eu-west-1:1:cluster/dev', namespace: 'shop', kind: 'Deployment' as const, name: 'web' },
    { context: 'kind-dev', namespace: 'samples', kind: 'Pod' as const, name: 'web-7b8695764b-cj9fz', container: 'node' },
  ];
  for (const ref of refs) {
    const { path, query } = refToUriParts(ref, 'yaml');
    assert.deepEqual(refFromUriParts(path, query), ref);
  }
  assert.equal(refFromUriParts('/Nope/x.yaml', 'context=a&namespace=b'), undefined);
  assert.equal(refFromUriParts('/Pod/x.yaml', 'namespace=b'), undefined);
});

test('describe drops managedFields and the last-applied annotation, not the rest', () => {
  const pod = sample('pod-crashloop') as unknown as { metadata: { managedFields?: unknown; annotations?: Record<string, string>; name: string } };
  pod.metadata.managedFields = [{ manager: 'kubectl' }];
  pod.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'me' };
  const slim = slimForDescribe(pod);
  assert.equal(slim.metadata.managedFields, undefined);
  assert.deepEqual(slim.metadata.annotations, { keep: 'me' });
  assert.ok(pod.metadata.managedFields, 'the cached object is not touched');
});

test('tree nodes name their objects', () => {
  const pod = podNode('c', 'samples', sample('pod-crashloop'));
  assert.deepEqual(refOf(pod), { context: 'c', namespace: 'samples', kind: 'Pod', name: 'crashloop' });
  const [container] = buildContainerChildren(pod);
  assert.deepEqual(refOf(container), { context: 'c', namespace: 'samples', kind: 'Pod', name: 'crashloop', container: 'c' });
  assert.equal(refOf(undefined), undefined);
});

test('permissions an action needs, for the Role a 403 asks for', () => {
  assert.deepEqual(needsFor({ context: 'c', namespace: 'shop', kind: 'Deployment', name: 'web' }, ['get', 'delete']), [
    { verb: 'get', resource: 'deployments', group: 'apps', namespace: 'shop' },
    { verb: 'delete', resource: 'deployments', group: 'apps', namespace: 'shop' },
  ]);
  assert.deepEqual(needsFor({ context: 'c', namespace: 'shop', kind: 'Pod', name: 'p', container: 'c' }, ['get'], 'log'), [
    { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'shop' },
  ]);
});
