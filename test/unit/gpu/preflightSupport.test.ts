import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findPodTemplates, templateAt } from '../../../src/gpu/manifestTemplates';
import { loadPreflightCluster, type PreflightLister } from '../../../src/gpu/preflightCluster';
import { preflight } from '../../../src/gpu/preflight';
import { preflightReport } from '../../../src/gpu/preflightReport';
import type { KubeClient } from '../../../src/kube/api';
import { ExplainedError } from '../../../src/kube/errors';
import type { KindInfo } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { recorded } from './fixtures/recorded';

// The real client is what the command hands in.
export const clientIsALister: (c: KubeClient) => PreflightLister = (c) => c;

const manifest = `# training
apiVersion: v1
kind: Service
metadata: { name: web }
---
apiVersion: batch/v1
kind: Job
metadata:
  name: train
  namespace: ml
spec:
  parallelism: 2
  template:
    spec:
      containers:
        - name: t
          resources:
            limits: { nvidia.com/gpu: 2 }
---
kind: Pod
metadata: { name: broken
---
apiVersion: v1
kind: Pod
metadata:
  name: one
spec:
  containers: [{ name: a }]
`;

test('empty, comment-only and broken files have no templates', () => {
  assert.deepEqual(findPodTemplates(''), []);
  assert.deepEqual(findPodTemplates('# just a comment\n'), []);
  assert.deepEqual(findPodTemplates('a: *undefined-alias'), []);
  assert.equal(findPodTemplates('kind: Pod\nmetadata: {name: a}\n').length, 1);
});

test('the template at an index or at the cursor', () => {
  const found = findPodTemplates(manifest);
  assert.equal(templateAt(found, 3, undefined)?.template.name, 'one');
  assert.equal(templateAt(found, 0, undefined), undefined, 'the Service has no template');
  assert.equal(templateAt(found, undefined, manifest.indexOf('parallelism'))?.template.name, 'train');
  assert.equal(templateAt(found, undefined, manifest.length - 1)?.template.name, 'one');
  assert.equal(templateAt(found, undefined, 0)?.template.name, 'train', 'before every template: the first');
  assert.equal(templateAt([], undefined, 0), undefined);
});

test('finds the pod templates and where their documents start', () => {
  const found = findPodTemplates(manifest);
  assert.deepEqual(found.map((f) => [f.index, f.template.kind, f.template.name, f.template.replicas]), [
    [1, 'Job', 'train', 2],
    [3, 'Pod', 'one', 1],
  ]);
  assert.equal(manifest.slice(found[0].offset, found[0].offset + 20), 'apiVersion: batch/v1');
  assert.equal(manifest.slice(found[1].offset).split('\n')[0], 'apiVersion: v1');
});

class FakeLister implements PreflightLister {
  readonly calls: string[] = [];
  constructor(private readonly objects: Record<string, KubeObject[]>, private readonly forbidden: string[] = []) {}
  async listAll<T extends KubeObject>(kind: KindInfo, namespace: string | undefined, options?: { fieldSelector?: string }) {
    this.calls.push(`${kind.kind} ${namespace ?? '*'} ${options?.fieldSelector ?? ''}`.trim());
    if (this.forbidden.includes(kind.kind)) {
      throw new ExplainedError({ reason: 'Forbidden', what: `List ${kind.plural}`, why: `${kind.plural} is forbidden`, remedy: 'ask', status: 403 });
    }
    return { items: (this.objects[kind.kind] ?? []) as T[] };
  }
}

test('loads nodes, unfinished pods and the namespace quotas; forbidden lists become caveats', async () => {
  const node = recorded<KubeObject>('node-with-gpu-capacity');
  const pod = recorded<KubeObject>('pod-gpu-fits');
  const lister = new FakeLister({ Node: [node], Pod: [pod] }, ['ResourceQuota']);
  const { cluster, caveats } = await loadPreflightCluster(lister, 'samples');
  assert.deepEqual(lister.calls.sort(), ['Node *', 'Pod * status.phase!=Succeeded,status.phase!=Failed', 'ResourceQuota samples']);
  assert.equal(cluster.usage.get('vm')?.get('nvidia.com/gpu'), 2);
  assert.deepEqual(caveats, ['quotas in samples could not be listed, so they were not checked (resourcequotas is forbidden)']);

  const other = new FakeLister({}, ['Node']);
  await assert.rejects(
    loadPreflightCluster({ listAll: () => Promise.reject(new Error('socket hang up')) }, 'x'),
    /socket hang up/,
    'other failures are not hidden',
  );
  assert.match((await loadPreflightCluster(other, 'x')).caveats[0], /^nodes could not be listed/);
});

test('the report leads with the answer and lists every node', async () => {
  const lister = new FakeLister({ Node: [recorded<KubeObject>('node-with-gpu-capacity')], Pod: [recorded<KubeObject>('pod-gpu-fits')] });
  const { cluster, caveats } = await loadPreflightCluster(lister, 'ml');
  const [job] = findPodTemplates(manifest);
  const result = preflight(job.template, cluster);
  const text = preflightReport(job.template, result, { context: 'demo', namespace: 'ml', at: new Date('2026-11-22T03:00:00Z') }, caveats);
  assert.match(text, /^# Will it schedule\? Job train\n/);
  assert.match(text, /\*\*fits on: vm \(room for 1 of 2 replicas now\)\*\*/);
  assert.match(text, /- nvidia.com\/gpu: 2/);
  assert.match(text, /Replicas: 2; room for 1 now\./);
  assert.match(text, /- ✅ \*\*vm\*\*: fits \(room for 1\)/);
});
