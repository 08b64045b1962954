import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { AppsV1Api, CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { startSimulator, type Simulator } from '../../sim/server';
import { grant } from './sim-client';

let sim: Simulator;

before(async () => {
  sim = await startSimulator({ controllers: false, users: [{ name: 'jane' }] });
  await grant(sim, 'default', 'jane', { kind: 'User', name: 'jane' }, [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }]);
});
after(() => sim.stop());

function kubeconfig(context?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
  if (context) kc.setCurrentContext(context);
  return kc;
}

test('@kubernetes/client-node works against the simulator from the written kubeconfig alone (TLS, token, CRUD, watch)', async () => {
  const kc = kubeconfig();
  assert.equal(kc.getCurrentContext(), sim.context);
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: 'client' } } });
  await core.createNamespacedConfigMap({ namespace: 'client', body: { metadata: { name: 'one', labels: { a: 'b' } }, data: { k: 'v' } } });
  const list = await core.listNamespacedConfigMap({ namespace: 'client', labelSelector: 'a=b' });
  assert.deepEqual(list.items.map((i) => i.metadata?.name), ['one']);
  const apps = kc.makeApiClient(AppsV1Api);
  await apps.createNamespacedDeployment({
    namespace: 'client',
    body: { metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } },
  });
  assert.equal((await apps.readNamespacedDeployment({ namespace: 'client', name: 'd' })).spec?.replicas, 1);
  await assert.rejects(core.readNamespacedPod({ namespace: 'client', name: 'nope' }), (err: { code?: number }) => err.code === 404);

  const seen: string[] = [];
  const watcher = new Watch(kc);
  const req = await watcher.watch('/api/v1/namespaces/client/configmaps', { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true }, (type, obj: { metadata?: { name?: string } }) => {
    seen.push(`${type} ${obj.metadata?.name}`);
  }, () => {});
  await core.createNamespacedConfigMap({ namespace: 'client', body: { metadata: { name: 'two' } } });
  await core.deleteNamespacedConfigMap({ namespace: 'client', name: 'two' });
  const start = Date.now();
  while (seen.length < 2 && Date.now() - start < 3000) await new Promise((r) => setTimeout(r, 20));
  req.abort();
  assert.deepEqual(seen, ['ADDED two', 'DELETED two']);
});

test('a denied user gets a 403 through client-node', async () => {
  const core = kubeconfig(sim.contextOf('jane')).makeApiClient(CoreV1Api);
  await assert.rejects(core.listNamespacedPod({ namespace: 'default' }), (err: { code?: number }) => err.code === 403);
  assert.ok((await core.listNamespacedConfigMap({ namespace: 'default' })).items);
});

test('main.ts prints one JSON line, serves the demo cluster and stops cleanly on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-sim-cli-'));
  try {
    const path = join(dir, 'kubeconfig');
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, '../../sim/main.ts'), '--kubeconfig', path, '--seed', 'demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const info = JSON.parse(line) as { url: string; kubeconfig: string; context: string };
    assert.equal(info.kubeconfig, path);
    assert.match(info.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    const nodes = await kc.makeApiClient(CoreV1Api).listNode();
    assert.deepEqual(nodes.items.map((n) => n.metadata?.name).sort(), ['cpu-1', 'cpu-2', 'gpu-a', 'gpu-b']);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
