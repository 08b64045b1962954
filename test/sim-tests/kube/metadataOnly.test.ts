/**
 * Metadata-only reads (Accept `as=PartialObjectMetadataList` / `as=PartialObjectMetadata`): what
 * the manifest feature uses to learn Secret names without ever receiving Secret data. Runs on the
 * simulator and on real clusters alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metadataAccept, metadataListAccept } from '../../../src/kube/api';
import { ExplainedError } from '../../../src/kube/errors';
import { WatchHub } from '../../../src/kube/hub';
import { kinds, resourcePath } from '../../../src/kube/kinds';
import type { InformerEvent, KubeObject } from '../../../src/kube/types';
import { clusterFor } from '../../cluster/clusterUnderTest';

const secretValue = 'c2VjcmV0LXZhbHVl'; // base64 of "secret-value"

test('a metadata-only list answers PartialObjectMetadataList; asking a list for PartialObjectMetadata is 406', async (t) => {
  const cluster = await clusterFor(t, 'metadata-only');
  const ns = cluster.namespace;
  await cluster.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-password', namespace: ns }, type: 'Opaque', data: { password: secretValue } });
  const client = cluster.client();
  const list = await client.request<{ kind: string; apiVersion: string; metadata: { resourceVersion?: string }; items: KubeObject[] }>({
    what: 'List secret names',
    path: resourcePath(kinds.Secret, ns),
    accept: metadataListAccept,
  });
  assert.equal(list.kind, 'PartialObjectMetadataList');
  assert.equal(list.apiVersion, 'meta.k8s.io/v1');
  assert.ok(list.metadata.resourceVersion);
  const item = list.items.find((i) => i.metadata.name === 'db-password');
  assert.ok(item, `listed: ${list.items.map((i) => i.metadata.name).join(', ')}`);
  assert.equal(item.kind, 'PartialObjectMetadata');
  assert.deepEqual(Object.keys(item).sort(), ['apiVersion', 'kind', 'metadata']);
  assert.ok(!JSON.stringify(list).includes(secretValue), 'no Secret data in a metadata list');

  const one = await client.request<KubeObject>({ what: 'Get a secret name', path: resourcePath(kinds.Secret, ns, 'db-password'), accept: metadataAccept });
  assert.equal(one.kind, 'PartialObjectMetadata');
  assert.equal(one.data, undefined);

  await assert.rejects(
    client.request({ what: 'List secret names', path: resourcePath(kinds.Secret, ns), accept: metadataAccept }),
    (err: unknown) => err instanceof ExplainedError && err.reason === 'NotAcceptable' && /requested object is a list/.test(err.message),
  );
});

test('a metadata-only watch through the hub keeps names alone, shares nothing with a full watch, and follows changes', async (t) => {
  const cluster = await clusterFor(t, 'metadata-watch');
  const ns = cluster.namespace;
  await cluster.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'first', namespace: ns, annotations: { note: secretValue } }, data: { token: secretValue } });
  const client = cluster.client();
  const hub = new WatchHub(() => client, undefined, { lingerMs: 0, informer: { minWatchMs: 0 } });
  t.after(() => hub.dispose());
  const seen: InformerEvent<KubeObject>[] = [];
  const names = hub.observe<KubeObject>({ context: cluster.context, kind: 'Secret', namespace: ns, metadataOnly: true }, (e) => seen.push(e));
  t.after(() => names.dispose());
  const full = hub.observe<KubeObject>({ context: cluster.context, kind: 'ConfigMap', namespace: ns }, () => undefined);
  t.after(() => full.dispose());
  assert.equal(hub.size, 2);
  await cluster.until(() => names.informer.synced || undefined, 'the metadata-only list');
  const first = names.informer.objects.get(`${ns}/first`);
  assert.ok(first, `cached: ${[...names.informer.objects.keys()].join(', ')}`);
  assert.deepEqual(Object.keys(first.metadata).sort(), ['creationTimestamp', 'name', 'namespace', 'resourceVersion', 'uid']);
  assert.deepEqual(Object.keys(first).sort(), ['metadata']);

  await cluster.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'second', namespace: ns }, stringData: { token: 'plain-text-value' } });
  await cluster.until(() => names.informer.objects.get(`${ns}/second`), 'the new Secret through the watch');
  const cached = JSON.stringify([...names.informer.objects.values()]);
  assert.ok(!cached.includes(secretValue) && !cached.includes('plain-text-value') && !cached.includes('note'), cached);
  assert.ok(!JSON.stringify(seen).includes(secretValue), 'no Secret data in any event');
});
