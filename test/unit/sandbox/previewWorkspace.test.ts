// tether.yaml refused with its errors; the sample workspace's manifests read for a proposal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ExplainedError } from '../../../src/kube/errors';
import { proposeSpec } from '../../../src/sandbox/detect';
import { readWorkspaceFacts, specFromText } from '../../../src/sandbox/preview/previewWorkspace';

test('a tether.yaml with errors is refused, naming the lines', () => {
  assert.throws(
    () => specFromText('name: Shop\nbaseline: {}\nforks: []\n'),
    (err: unknown) => err instanceof ExplainedError && err.reason === 'Invalid' && /line 1: name "Shop"/.test(err.why) && err.step?.code === 'fixSpec' && /nothing was created/.test(err.message),
  );
  const spec = specFromText('name: shop\nbaseline: { namespace: shop }\nforks:\n  - workload: { name: api }\n    mode: local\npreview: { service: api }\n');
  assert.equal(spec.forks[0].mode, 'local');
});

test('the sample workspace proposes a local fork of shop/api entered through its Service', async () => {
  const facts = await readWorkspaceFacts(join(__dirname, '../../../sample'), { defaultNamespace: 'default' });
  assert.deepEqual(facts.manifests.map((m) => m.path).sort(), [join('k8s', 'api.yaml'), join('k8s', 'train-llm.yaml')]);
  const proposal = proposeSpec(facts);
  assert.ok('spec' in proposal, JSON.stringify(proposal));
  assert.equal(proposal.spec.baseline.namespace, 'shop');
  assert.deepEqual(proposal.spec.forks[0].workload, { kind: 'Deployment', name: 'api' });
  assert.deepEqual(proposal.spec.preview, { service: 'api', path: '/', port: 80 });
  assert.deepEqual(specFromText(proposal.text), proposal.spec);
});
