// One sandbox, two front doors (an editor window and a terminal): the second is refused while the
// first renews, takes it over without restarting the agent, the first is told and stops; released,
// the sandbox is anyone's at once; the checks of a sandbox run from a front door that never applied it;
// the time a front door renews by and judges other holders by is its injected clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeClient } from '../../../src/kube/api';
import { systemClock, type Clock } from '../../../src/kube/clock';
import { loadKubeconfig } from '../../../src/kube/config';
import { ExplainedError } from '../../../src/kube/errors';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { sandboxSelector } from '../../../src/sandbox/labels';
import { PreviewLoop, type SandboxLost } from '../../../src/sandbox/preview/previewLoop';
import { previewCluster } from './previewCluster';
import { fetchText } from '../../fetchText';

const editor = 'jane@laptop/vscode';
const terminal = 'jane@laptop/cli';

test('a second front door is refused while the first runs the sandbox, takes it over keeping the agent, and the first stops', async (t) => {
  const c = await previewCluster(t, 'preview-holder');
  const kubeconfig = loadKubeconfig({ KUBECONFIG: c.cluster.kubeconfigPath });
  const cli = new PreviewLoop({ openClient: (context) => KubeClient.forContext(kubeconfig, context), tunnel: { backoff: { initialMs: 100, maxMs: 500 } }, heartbeat: { intervalMs: 300 } });
  t.after(() => cli.dispose());

  const first = await c.loop.ensure(c.request(c.localSpec(), { holderIdentity: editor }));
  const agentPods = async () => (await c.client.list<KubeObject>(kinds.Pod, first.namespace, { labelSelector: `${sandboxSelector(first.sandbox)},tether.dev/agent` })).items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.uid);
  const before = await agentPods();
  assert.equal(before.length, 1);

  await assert.rejects(cli.ensure(c.request(c.localSpec(), { holderIdentity: terminal })), (err: unknown) => {
    assert.ok(err instanceof ExplainedError);
    assert.equal(err.reason, 'Conflict');
    assert.match(err.why, /jane on laptop \(VS Code\) runs it/);
    assert.equal(err.step?.code, 'takeOver');
    return true;
  });
  assert.equal(c.loop.summaries().length, 1, 'the refused attempt changed nothing');

  const lost = new Promise<SandboxLost>((resolve) => c.loop.onDidLose(resolve));
  const taken = await cli.ensure(c.request(c.localSpec(), { holderIdentity: terminal, takeOver: true }));
  assert.equal(taken.sandbox, first.sandbox);
  assert.equal(await fetchText(taken.url), 'local v1 /products');
  const event = await lost;
  assert.equal(event.takenOverBy, terminal);
  assert.equal(c.loop.summaries().length, 0, 'the editor stopped its side');
  assert.deepEqual(await agentPods(), before, 'the same agent pod: its token was kept');
  const lease = await c.client.get<KubeObject & { spec: { holderIdentity?: string } }>(kinds.Lease, first.namespace, 'tether-sandbox');
  assert.equal(lease.spec.holderIdentity, terminal);

  // Released, the editor runs it again without taking it over.
  assert.equal(await cli.release(c.context, first.sandbox), true);
  const released = await c.client.get<KubeObject & { spec: { holderIdentity?: string } }>(kinds.Lease, first.namespace, 'tether-sandbox');
  assert.equal(released.spec.holderIdentity, undefined);
  const back = await c.loop.ensure(c.request(c.localSpec(), { holderIdentity: editor }));
  assert.equal(await fetchText(back.url), 'local v1 /products');
  assert.deepEqual(await agentPods(), before);
  await c.loop.delete(c.client, c.context, { sandbox: back.sandbox, namespace: back.namespace });
});

test("the loop's clock is the time it writes in the Lease and judges other holders by", async (t) => {
  // Ten minutes ahead of this computer's: a Lease renewed now by a front door on the system clock
  // has lapsed by it, and its own renewals are written in its time.
  const aheadMs = 10 * 60_000;
  const ahead: Clock = { ...systemClock, now: () => Date.now() + aheadMs };
  const c = await previewCluster(t, 'preview-clock', {}, { clock: ahead });
  const kubeconfig = loadKubeconfig({ KUBECONFIG: c.cluster.kubeconfigPath });
  const editorLoop = new PreviewLoop({ openClient: (context) => KubeClient.forContext(kubeconfig, context), tunnel: { backoff: { initialMs: 100, maxMs: 500 } }, heartbeat: { intervalMs: 60_000 } });
  t.after(() => editorLoop.dispose());

  const first = await editorLoop.ensure(c.request(c.localSpec(), { holderIdentity: editor }));
  const lost = new Promise<SandboxLost>((resolve) => editorLoop.onDidLose(resolve));
  const before = Date.now();
  const taken = await c.loop.ensure(c.request(c.localSpec(), { holderIdentity: terminal }));
  assert.equal(taken.sandbox, first.sandbox, 'no take-over asked for: by its clock the editor stopped renewing long ago');
  assert.equal((await lost).takenOverBy, terminal);
  const lease = await c.client.get<KubeObject & { spec: { holderIdentity?: string; renewTime?: string } }>(kinds.Lease, first.namespace, 'tether-sandbox');
  assert.equal(lease.spec.holderIdentity, terminal);
  assert.ok(Date.parse(lease.spec.renewTime ?? '') >= before + aheadMs - 1000, `renewed at ${lease.spec.renewTime}, in the loop's time`);
  await c.loop.delete(c.client, c.context, { sandbox: taken.sandbox, namespace: taken.namespace });
});
