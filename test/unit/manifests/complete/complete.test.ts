import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { complete } from '../../../../src/manifests/complete/complete';
import type { ClusterLookup } from '../../../../src/manifests/complete/clusterLookup';
import type { CompletionEntry } from '../../../../src/manifests/complete/items';
import { WorkspaceIndex } from '../../../../src/manifests/navigate/workspaceIndex';
import { bundledSchema, SchemaIndex } from '../../../../src/manifests/schema/index';
import { schemaFromOpenApi, type OpenApiDocument } from '../../../../src/manifests/schema/openapi';
import { ManifestLinter } from '../../../../src/manifests/validate';
import { webDeploymentHead } from './webDeployment';
import type { NodeFacts } from '../../../../src/manifests/types';

const bundled = { schema: bundledSchema(), origin: 'Kubernetes 1.34 schema' };

function workspace(files: Record<string, string>): WorkspaceIndex {
  const linter = new ManifestLinter();
  return WorkspaceIndex.of(Object.entries(files).map(([p, text]) => linter.analyze({ path: `file:///ws/${p}`, text })));
}

interface Options {
  ws?: WorkspaceIndex;
  cluster?: ClusterLookup;
  schema?: { schema: SchemaIndex; origin: string };
}

/** Completion at the "‸" in `source`. */
function at(source: string, options: Options = {}) {
  const offset = source.indexOf('‸');
  assert.ok(offset >= 0, 'the test text marks the cursor with ‸');
  const text = source.slice(0, offset) + source.slice(offset + 1);
  return complete({ text, offset, schema: options.schema ?? bundled, workspace: options.ws, cluster: options.cluster });
}

/** A snippet as VS Code first shows it: placeholders and their mirrors replaced by the defaults. */
function expand(snippet: string): string {
  const defaults = new Map<string, string>();
  for (const m of snippet.matchAll(/\$\{(\d+):([^}]*)\}/g)) defaults.set(m[1], m[2]);
  return snippet.replace(/\$\{(\d+)(?::([^}]*))?\}/g, (_, n: string, d?: string) => d ?? defaults.get(n) ?? '');
}

function labels(items: readonly CompletionEntry[]): string[] {
  return [...items].sort((a, b) => (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : 0)).map((i) => i.label);
}

function item(items: readonly CompletionEntry[], label: string): CompletionEntry {
  const found = items.find((i) => i.label === label);
  assert.ok(found, `no item "${label}" among ${labels(items).join(', ')}`);
  return found;
}

const nodes: NodeFacts[] = [
  { name: 'cpu-1', labels: { 'kubernetes.io/hostname': 'cpu-1', 'node.kubernetes.io/instance-type': 'm6i.2xlarge' }, taints: [], allocatable: { cpu: '8', memory: '32Gi', pods: '110' } },
  {
    name: 'gpu-a',
    labels: { 'kubernetes.io/hostname': 'gpu-a', 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB', 'node.kubernetes.io/instance-type': 'p4d.24xlarge' },
    taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
    allocatable: { cpu: '96', memory: '1152Gi', 'nvidia.com/gpu': '4' },
  },
  {
    name: 'gpu-b',
    labels: { 'kubernetes.io/hostname': 'gpu-b', 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' },
    taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
    allocatable: { cpu: '96', 'nvidia.com/mig-1g.10gb': '7' },
  },
];

/** A cluster answering from fixed data, as the extension's caches would once they are filled. */
function cluster(names: Record<string, string[]> = {}, loaded = true): ClusterLookup & { asked: string[] } {
  const asked: string[] = [];
  return {
    context: 'prod',
    defaultNamespace: 'default',
    asked,
    names(kind, namespace) {
      asked.push(`${kind}/${namespace ?? ''}`);
      return loaded ? (names[`${kind}/${namespace ?? ''}`] ?? []) : undefined;
    },
    nodes: () => (loaded ? nodes : undefined),
    freeNow: (resource) => (resource === 'nvidia.com/gpu' ? { free: 2, largestFree: { node: 'gpu-a', free: 2 } } : undefined),
  };
}

const deploymentHead = `${webDeploymentHead}      containers:
        - name: web
          image: nginx
          ports:
            - name: http
              containerPort: 8080
`;

test('field names in a container: required first, with type and first sentence, siblings left out, deprecated marked', () => {
  const { items } = at(`${deploymentHead}          ‸\n`);
  assert.ok(!items.some((i) => i.label === 'name' || i.label === 'image' || i.label === 'ports'), 'keys already written are not offered');
  const pull = item(items, 'imagePullPolicy');
  assert.equal(pull.detail, 'string');
  assert.match(pull.documentation ?? '', /^Image pull policy\./);
  assert.equal(pull.source, 'schema');
  assert.equal(pull.origin, 'Kubernetes 1.34 schema');
  const spec = at(`apiVersion: v1\nkind: Pod\nmetadata: { name: a }\nspec:\n  ‸\n`).items;
  const required = item(spec, 'containers');
  assert.match(required.detail ?? '', /required/);
  assert.equal(labels(spec)[0], 'containers', 'required fields sort first');
  const deprecated = item(spec, 'serviceAccount');
  assert.equal(deprecated.deprecated, true);
  assert.ok(labels(spec).indexOf('serviceAccount') > labels(spec).indexOf('volumes'), 'deprecated fields sort last');
});

test('a field inserts its required children at the right indentation', () => {
  const { items } = at(`apiVersion: v1\nkind: Pod\nmetadata: { name: a }\nspec:\n  ‸\n`);
  const containers = item(items, 'containers');
  assert.equal(containers.snippet, true);
  const lines = containers.insertText.split('\n');
  assert.equal(lines[0], 'containers:');
  assert.match(lines[1], /^ {4}- name: \$\{\d+:a\}$/);
  assert.match(lines[2], /^ {6}image: /);
  assert.match(lines[3], /^ {6}resources:$/);
  assert.match(lines[4], /^ {8}requests:$/);
  const probe = at(`${deploymentHead}          ‸\n`).items;
  const readiness = item(probe, 'readinessProbe').insertText.split('\n');
  assert.deepEqual(expand(item(probe, 'readinessProbe').insertText).split('\n').slice(0, 3), ['readinessProbe:', '            httpGet:', '              path: /healthz']);
  assert.match(readiness[3], /port: \$\{\d+:http\}/, 'the probe uses the container\'s port name');
  const choice = item(probe, 'imagePullPolicy');
  assert.equal(choice.insertText, 'imagePullPolicy: ${1|Always,IfNotPresent,Never|}');
});

test('after "- " in containers: a whole container, and the container\'s fields', () => {
  const { items } = at(`apiVersion: v1\nkind: Pod\nmetadata: { name: a }\nspec:\n  containers:\n    - ‸\n`);
  const container = item(items, 'container');
  assert.equal(container.source, 'template');
  const lines = container.insertText.split('\n');
  assert.match(lines[0], /^name: /);
  assert.match(lines[1], /^ {6}image: /);
  assert.match(lines[6], /^ {8}limits:$/);
  assert.ok(items.some((i) => i.label === 'image'));
});

test('enum and boolean values; a value after a bare colon gets its space', () => {
  assert.deepEqual(labels(at(`${deploymentHead}          imagePullPolicy: ‸\n`).items), ['Always', 'IfNotPresent', 'Never']);
  assert.deepEqual(labels(at(`apiVersion: v1\nkind: Pod\nspec:\n  restartPolicy: O‸\n`).items), ['Always', 'Never', 'OnFailure']);
  const bools = at(`apiVersion: v1\nkind: Pod\nspec:\n  automountServiceAccountToken:‸\n`).items;
  assert.deepEqual(labels(bools), ['true', 'false']);
  assert.equal(item(bools, 'true').insertText, ' true');
});

test('an empty document offers whole documents per kind; apiVersion and kind values follow what is written', () => {
  const { items } = at(`apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n---\n‸\n`);
  const deployment = item(items, 'Deployment');
  assert.equal(deployment.detail, 'apps/v1');
  const doc = expand(deployment.insertText);
  assert.match(doc, /^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n {2}name: name\nspec:\n {2}selector:\n {4}matchLabels:\n {6}app: app\n {2}template:\n {4}metadata:\n {6}labels:\n {8}app: app\n {4}spec:\n {6}containers:\n {8}- name: app\n {10}image: image:tag/);
  assert.deepEqual(labels(items).slice(0, 3), ['Deployment', 'Service', 'ConfigMap']);
  assert.deepEqual(labels(at(`apiVersion: batch/v1\nkind: ‸\n`).items), ['Job', 'CronJob']);
  assert.deepEqual(labels(at(`apiVersion: ‸\nkind: HorizontalPodAutoscaler\n`).items).sort(), ['autoscaling/v1', 'autoscaling/v2']);
});

test('custom resources from a recorded cluster schema: the kind as a document, its fields and enums', () => {
  const doc = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../fixtures/manifests/openapi-widget-crd.json'), 'utf8')) as OpenApiDocument;
  const schema = { schema: bundledSchema().with(schemaFromOpenApi([doc])), origin: 'schema of cluster prod' };
  const widget = item(at('‸', { schema }).items, 'Widget');
  assert.equal(widget.detail, 'example.com/v1');
  assert.equal(widget.origin, 'custom resource, schema of cluster prod');
  assert.match(widget.insertText, /spec:\n {2}size: \$\{\d+\}/);
  const fields = at(`apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\nspec:\n  ‸\n`, { schema }).items;
  assert.equal(labels(fields)[0], 'size');
  assert.equal(item(fields, 'size').documentation, 'How many widgets.');
  assert.deepEqual(labels(at(`apiVersion: example.com/v1\nkind: Widget\nspec:\n  mode: ‸\n`, { schema }).items), ['fast', 'careful']);
});

test('values from the workspace: ConfigMap and Secret names, port names of the selected pods, pod labels', () => {
  const ws = workspace({
    'config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web-config, namespace: shop }\n---\napiVersion: v1\nkind: Secret\nmetadata: { name: web-tls, namespace: shop }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: elsewhere, namespace: other }\n`,
    'web.yaml': deploymentHead,
  });
  const env = at(`${deploymentHead}          env:\n            - name: MODE\n              valueFrom:\n                configMapKeyRef: { name: ‸ }\n`, { ws });
  assert.deepEqual(labels(env.items), ['web-config']);
  assert.equal(env.items[0].origin, 'workspace: config.yaml');
  assert.equal(env.items[0].source, 'workspace');
  const volume = at(`${deploymentHead}      volumes:\n        - name: tls\n          secret:\n            secretName: w‸\n`, { ws });
  assert.deepEqual(labels(volume.items), ['web-tls']);
  const service = `apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: shop }\nspec:\n  selector: { app: web }\n  ports:\n    - port: 80\n      targetPort: ‸\n`;
  const ports = at(service, { ws });
  assert.deepEqual(labels(ports.items), ['http']);
  assert.match(ports.items[0].detail ?? '', /containerPort 8080 of Deployment\/web/);
  const keys = at(`apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec:\n  selector:\n    ‸\n`, { ws });
  assert.deepEqual(labels(keys.items), ['app', 'tier']);
  assert.equal(item(keys.items, 'app').insertText, 'app: ');
  assert.deepEqual(labels(at(`apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec:\n  selector:\n    tier: ‸\n`, { ws }).items), ['front']);
});

test('values from the cluster, with where they came from; names not read yet make the result incomplete', () => {
  const ws = workspace({ 'config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web-config, namespace: shop }\n` });
  const c = cluster({ 'ConfigMap/shop': ['web-config', 'kube-root-ca.crt'], 'PriorityClass/': ['gpu-high'], 'StorageClass/': ['fast'], 'ServiceAccount/shop': ['default', 'web'], 'RuntimeClass/': ['nvidia'] });
  const env = at(`${deploymentHead}          envFrom:\n            - configMapRef:\n                name: ‸\n`, { ws, cluster: c });
  assert.deepEqual(labels(env.items), ['web-config', 'kube-root-ca.crt']);
  assert.equal(item(env.items, 'web-config').origin, 'workspace: config.yaml; cluster prod, namespace shop');
  assert.equal(item(env.items, 'kube-root-ca.crt').origin, 'cluster prod, namespace shop');
  assert.equal(item(env.items, 'kube-root-ca.crt').source, 'cluster');
  assert.equal(env.incomplete, false);
  assert.deepEqual(labels(at(`${deploymentHead}      priorityClassName: ‸\n`, { cluster: c }).items), ['gpu-high']);
  assert.deepEqual(labels(at(`${deploymentHead}      runtimeClassName: ‸\n`, { cluster: c }).items), ['nvidia']);
  assert.deepEqual(labels(at(`${deploymentHead}      serviceAccountName: ‸\n`, { cluster: c }).items), ['default', 'web']);
  assert.deepEqual(labels(at(`apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: data }\nspec:\n  storageClassName: ‸\n`, { cluster: c }).items), ['fast']);
  assert.ok(c.asked.includes('StorageClass/'), 'cluster-scoped kinds are asked without a namespace');
  assert.ok(c.asked.includes('ServiceAccount/shop'), 'namespaced kinds in the document\'s namespace');
  const cold = at(`${deploymentHead}      priorityClassName: ‸\n`, { cluster: cluster({}, false) });
  assert.deepEqual(cold.items, []);
  assert.equal(cold.incomplete, true);
});

test('node selectors, resources and tolerations from the cluster\'s nodes, GPU first', () => {
  const c = cluster();
  const keys = labels(at(`${deploymentHead}      nodeSelector:\n        ‸\n`, { cluster: c }).items);
  assert.equal(keys[0], 'nvidia.com/gpu.product');
  assert.ok(keys.includes('node.kubernetes.io/instance-type'));
  const values = at(`${deploymentHead}      nodeSelector:\n        nvidia.com/gpu.product: ‸\n`, { cluster: c }).items;
  assert.deepEqual(labels(values), ['NVIDIA-A100-SXM4-80GB']);
  assert.equal(values[0].detail, 'nvidia.com/gpu.product=NVIDIA-A100-SXM4-80GB on 2 nodes');
  const affinity = at(`${deploymentHead}      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n              - matchExpressions:\n                  - key: nvidia.com/gpu.product\n                    operator: In\n                    values: [‸]\n`, { cluster: c });
  assert.deepEqual(labels(affinity.items), ['NVIDIA-A100-SXM4-80GB']);
  const resources = at(`${deploymentHead}          resources:\n            limits:\n              ‸\n`, { cluster: c }).items;
  assert.deepEqual(labels(resources).slice(0, 2).sort(), ['nvidia.com/gpu', 'nvidia.com/mig-1g.10gb']);
  assert.equal(item(resources, 'nvidia.com/gpu').detail, '4 allocatable on 1 node · 2 free now (2 on gpu-a)');
  assert.ok(labels(resources).includes('cpu') && labels(resources).includes('memory'));
  const taints = at(`${deploymentHead}      tolerations:\n        - key: ‸\n`, { cluster: c }).items;
  assert.deepEqual(labels(taints), ['nvidia.com/gpu']);
  const toleration = item(at(`${deploymentHead}      tolerations:\n        - ‸\n`, { cluster: c }).items, 'nvidia.com/gpu=present:NoSchedule');
  assert.equal(toleration.insertText, 'key: nvidia.com/gpu\n          operator: Equal\n          value: present\n          effect: NoSchedule');
  assert.equal(toleration.source, 'cluster');
  const podSpec = at(`${deploymentHead}      ‸\n`, { cluster: c }).items;
  assert.match(item(podSpec, 'tolerations: nvidia.com/gpu=present:NoSchedule').insertText, /^tolerations:\n {8}- key: nvidia\.com\/gpu\n {10}operator: Equal/);
  const gpuResources = item(at(`${deploymentHead}          ‸\n`, { cluster: c }).items, 'resources: nvidia.com/gpu');
  assert.match(gpuResources.insertText, /requests:[\s\S]*nvidia\.com\/gpu: \$\{(\d+):1\}[\s\S]*limits:\n {14}nvidia\.com\/gpu: \$\{\1\}/);
});

test('without a cluster: schema and workspace only, with the well-known node labels and the usual GPU taint', () => {
  const keys = at(`${deploymentHead}      nodeSelector:\n        ‸\n`).items;
  assert.ok(keys.every((i) => i.source === 'template'));
  assert.equal(labels(keys)[0], 'nvidia.com/gpu.product');
  const toleration = item(at(`${deploymentHead}      tolerations:\n        - ‸\n`).items, 'nvidia.com/gpu:NoSchedule');
  assert.equal(toleration.insertText, 'key: nvidia.com/gpu\n          operator: Exists\n          effect: NoSchedule');
  assert.equal(toleration.origin, 'Tether template');
  assert.deepEqual(labels(at(`${deploymentHead}          resources:\n            limits: { ‸ }\n`).items), ['nvidia.com/gpu', 'cpu', 'memory', 'ephemeral-storage']);
});

test('references whose kind is written next to them: scaleTargetRef and HTTPRoute backends', () => {
  const ws = workspace({ 'apps.yaml': `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: db }\n---\n${deploymentHead}---\napiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: shop }\n` });
  const hpa = (kind: string) => at(`apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: h, namespace: shop }\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: ${kind}\n    name: ‸\n`, { ws }).items;
  assert.deepEqual(labels(hpa('StatefulSet')), ['db']);
  assert.deepEqual(labels(hpa('Deployment')), ['web']);
  assert.deepEqual(labels(hpa('ConfigMap')), []);
  const route = at(`apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: { name: r, namespace: shop }\nspec:\n  rules:\n    - backendRefs:\n        - name: ‸\n`, { ws }).items;
  assert.deepEqual(labels(route), ['web']);
});

test('a key already followed by its colon is replaced by the name alone; flow maps insert "key: "', () => {
  const named = item(at(`${deploymentHead}          imagePull‸Policy: Always\n`).items, 'imagePullPolicy');
  assert.equal(named.insertText, 'imagePullPolicy');
  assert.equal(named.snippet, false);
  const flow = item(at(`${deploymentHead}          readinessProbe: { ‸ }\n`).items, 'httpGet');
  assert.equal(flow.insertText, 'httpGet: ');
  const port = at(`${deploymentHead}          readinessProbe:\n            httpGet: { path: /ready, port: ‸ }\n`).items;
  assert.deepEqual(labels(port), ['http']);
  assert.equal(port[0].origin, 'this container');
});

test('the namespace field offers the workspace\'s and the cluster\'s namespaces', () => {
  const ws = workspace({ 'ns.yaml': `apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n` });
  const items = at(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: ‸\n`, { ws, cluster: cluster({ 'Namespace/': ['ml', 'shop'] }) }).items;
  assert.deepEqual(labels(items), ['shop', 'ml']);
});
