/**
 * The editor's cluster schema source: nothing is read before a YAML file is validated; then the
 * selected context's schema and nodes are read once, kept per context, and an unreadable context
 * leaves the bundled schema in place with one log line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempFolder } from '../../tempFolder';
import { KubeClient, type RequestOptions } from '../../../src/kube/api';
import { loadKubeconfig } from '../../../src/kube/config';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { Emitter } from '../../../src/lifecycle';
import type { Logger } from '../../../src/kube/logger';
import { ClusterSchemaSource, type SelectedCluster } from '../../../src/ui/manifests/clusterSchemaSource';
import { clusterFor } from '../../cluster/clusterUnderTest';
import { gpuNode, plainNode } from '../../cluster/simulatorCluster';

/** A Cluster view selection over a kubeconfig, recording every request its clients make. */
class Selection implements SelectedCluster {
  selectedContext: string | undefined;
  readonly requests: string[] = [];
  private readonly changes = new Emitter<{ scope: string }>();
  readonly onDidChange = this.changes.event;
  private readonly clients = new Map<string, KubeClient>();

  constructor(private readonly kubeconfig: string) {}

  /** What the Cluster view does on Select Context (the same one included) and on a kubeconfig reload. */
  select(context: string | undefined): void {
    this.selectedContext = context;
    this.changes.fire({ scope: 'all' });
  }

  /** A watch update in the selected context: no reason to read anything again. */
  watchUpdate(): void {
    this.changes.fire({ scope: 'context' });
  }

  async kube() {
    const config = loadKubeconfig({ KUBECONFIG: this.kubeconfig });
    return {
      client: (context: string) => {
        let client = this.clients.get(context);
        if (!client) {
          client = KubeClient.forContext(config, context);
          const request = client.request.bind(client);
          client.request = <T>(options: RequestOptions): Promise<T> => {
            this.requests.push(`${context} ${options.path}`);
            return request<T>(options);
          };
          this.clients.set(context, client);
        }
        return client;
      },
    };
  }

  dispose(): void {
    for (const c of this.clients.values()) c.dispose();
  }
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const nothing = () => undefined;
  return { warnings, trace: nothing, debug: nothing, info: nothing, warn: (m) => void warnings.push(m), error: (m) => void warnings.push(String(m)) };
}

function changed(source: ClusterSchemaSource): Promise<void> {
  return new Promise((resolve) => {
    const d = source.onDidChange(() => {
      d.dispose();
      resolve();
    });
  });
}

test('read on the first validation, once per selection; another context falls back to the bundled schema, logged once', async (t) => {
  const cluster = await clusterFor(t, 'lint-schema-source', { nodes: [plainNode('cpu-1'), gpuNode('gpu-1', 4)] });
  // One more context, at a port where nothing listens.
  const gone = path.join(tempFolder(t, 'lint-source'), 'gone');
  writeFileSync(gone, `apiVersion: v1
kind: Config
clusters: [{ name: gone, cluster: { server: "https://127.0.0.1:1" } }]
users: [{ name: gone, user: { token: t } }]
contexts: [{ name: gone, context: { cluster: gone, user: gone } }]
`);
  const selection = new Selection([cluster.kubeconfigPath, gone].join(path.delimiter));
  t.after(() => selection.dispose());
  const logger = recordingLogger();
  const source = new ClusterSchemaSource(selection, logger);
  t.after(() => source.dispose());

  source.want();
  assert.equal(selection.requests.length, 0, 'nothing selected, nothing read');
  selection.select(cluster.context);
  assert.equal(source.current(), undefined);
  assert.equal(selection.requests.length, 0, 'selecting reads nothing until a file is validated');

  const ready = changed(source);
  source.want();
  source.want();
  await ready;
  const target = source.current();
  assert.ok(target, 'the selected context has a schema');
  const version = await (await selection.kube()).client(cluster.context).version();
  assert.equal(target.schema.version, `${version.major}.${version.minor.replace(/\D+$/, '')}`);
  // The nodes the cluster has: the two given above on the simulator, whatever a real cluster runs.
  const nodes = await cluster.client().listAll<KubeObject>(kinds.Node, undefined);
  assert.deepEqual(target.facts?.nodes.map((n) => n.name).sort(), nodes.items.map((n) => n.metadata.name).sort());
  const documents = selection.requests.filter((r) => r.includes('/openapi/v3/'));
  assert.ok(documents.length >= 2, selection.requests.join(', '));
  assert.equal(selection.requests.filter((r) => r.endsWith(' /openapi/v3')).length, 1, 'one fetch for two validations');
  selection.requests.length = 0;
  selection.watchUpdate();
  source.want();
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(selection.requests.length, 0, `a watch update reads nothing: ${selection.requests.join(', ')}`);
  // Selecting the same context again (or a kubeconfig reload): its version and nodes are asked again, the schema is kept.
  selection.select(cluster.context);
  source.want();
  await until(() => selection.requests.some((r) => r.endsWith('/nodes')));
  assert.ok(selection.requests.includes(`${cluster.context} /version`), selection.requests.join(', '));
  assert.ok(!selection.requests.some((r) => r.includes('/openapi/v3')), selection.requests.join(', '));
  assert.equal(source.current(), target, 'the same schema and facts: nothing to re-validate');

  selection.select('gone');
  assert.equal(source.current(), undefined, 'another context: the bundled schema until its own is read');
  for (let i = 0; i < 2; i++) {
    source.want();
    await until(() => logger.warnings.length > 0);
    selection.select(cluster.context);
    selection.select('gone');
  }
  source.want();
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(logger.warnings.length, 1, logger.warnings.join('\n'));
  assert.match(logger.warnings[0], /validating against the bundled schema: the schema of context gone could not be read\. Read the version of https:\/\/127\.0\.0\.1:1 failed: /);
  assert.equal(source.current(), undefined);

  // Back to the first context: its schema at once, the server version asked again, no document refetched.
  selection.requests.length = 0;
  selection.select(cluster.context);
  assert.equal(source.current(), target);
  source.want();
  await until(() => selection.requests.some((r) => r.endsWith('/nodes')));
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(selection.requests.includes(`${cluster.context} /version`), selection.requests.join(', '));
  assert.ok(!selection.requests.some((r) => r.includes('/openapi/v3')), selection.requests.join(', '));
});

async function until(probe: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
