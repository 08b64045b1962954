import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterLookup } from '../../../../src/manifests/complete/clusterLookup';
import { definitionAt, type NavTarget } from '../../../../src/manifests/navigate/definition';
import { referencesAt } from '../../../../src/manifests/navigate/references';
import { documentSymbols, workloadLenses } from '../../../../src/manifests/navigate/symbols';
import { WorkspaceIndex, type Location } from '../../../../src/manifests/navigate/workspaceIndex';
import { ManifestLinter, type FileAnalysis } from '../../../../src/manifests/validate';
import { webDeploymentHead } from './webDeployment';

const files: Record<string, string> = {
  'config.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: shop
data: { mode: fast }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: web, namespace: shop }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: cache, namespace: shop }
spec:
  storageClassName: fast
`,
  'web.yaml': `${webDeploymentHead}      serviceAccountName: web
      containers:
        - name: web
          image: nginx
          ports:
            - name: http
              containerPort: 8080
          readinessProbe:
            httpGet: { path: /ready, port: http }
          env:
            - name: MODE
              valueFrom:
                configMapKeyRef: { name: web-config, key: mode }
            - name: TOKEN
              valueFrom:
                secretKeyRef: { name: api-token, key: token }
      volumes:
        - name: config
          configMap: { name: web-config }
        - name: cache
          persistentVolumeClaim: { claimName: cache }
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web, namespace: shop }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 1
  maxReplicas: 3
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: shop }
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port: { name: http }
`,
};

const linter = new ManifestLinter();
const analyses = new Map<string, FileAnalysis>(Object.entries(files).map(([p, text]) => [p, linter.analyze({ path: p, text })]));
const workspace = WorkspaceIndex.of(analyses.values());

const cluster: ClusterLookup = {
  context: 'prod',
  defaultNamespace: 'default',
  names: (kind, namespace) => ({ 'Secret/shop': ['api-token'], 'StorageClass/': ['fast'] } as Record<string, string[]>)[`${kind}/${namespace ?? ''}`] ?? [],
  nodes: () => [],
  freeNow: () => undefined,
};

/** The offset of the `nth` occurrence of `needle` in `file`, plus `delta`. */
function offsetOf(file: string, needle: string, nth = 1, delta = 1): number {
  let at = -1;
  for (let i = 0; i < nth; i++) at = files[file].indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} in ${file}`);
  return at + delta;
}

function where(l: Location): string {
  return `${l.file}:${l.range.start.line + 1}:${files[l.file].slice(l.start, l.end)}`;
}

function definitions(file: string, needle: string, nth = 1, delta = 1): string[] {
  return definitionAt({ analysis: analyses.get(file)!, offset: offsetOf(file, needle, nth, delta), workspace, cluster }).map((t: NavTarget) =>
    t.type === 'workspace' ? where(t.location) : `cluster ${t.context} ${t.kind} ${t.namespace}/${t.name}`,
  );
}

test('definitions in the workspace: ConfigMap, ServiceAccount, claim, scaleTargetRef, Ingress backend', () => {
  assert.deepEqual(definitions('web.yaml', 'name: web-config'), []);
  assert.deepEqual(definitions('web.yaml', 'web-config, key'), ['config.yaml:4:web-config']);
  assert.deepEqual(definitions('web.yaml', 'configMap: { name: web-config', 1).length, 0);
  assert.deepEqual(definitionAt({ analysis: analyses.get('web.yaml')!, offset: offsetOf('web.yaml', 'web-config }', 1), workspace }).map((t) => t.type === 'workspace' && where(t.location)), ['config.yaml:4:web-config']);
  assert.deepEqual(definitions('web.yaml', 'serviceAccountName: web', 1, 'serviceAccountName: '.length + 1), ['config.yaml:10:web']);
  assert.deepEqual(definitions('web.yaml', 'claimName: cache', 1, 'claimName: '.length + 1), ['config.yaml:14:cache']);
  assert.deepEqual(definitions('web.yaml', 'kind: Deployment, name: web', 1, 'kind: Deployment, name: '.length + 1), ['web.yaml:4:web']);
  assert.deepEqual(definitions('web.yaml', 'name: web\n                port', 1, 'name: '.length + 1), ['web.yaml:38:web']);
});

test('definitions in the cluster when the workspace has none; nothing for names the cluster does not have', () => {
  assert.deepEqual(definitions('web.yaml', 'api-token'), ['cluster prod Secret shop/api-token']);
  assert.deepEqual(definitions('config.yaml', 'storageClassName: fast', 1, 'storageClassName: '.length + 1), ['cluster prod StorageClass /fast']);
  const missing = definitionAt({ analysis: analyses.get('web.yaml')!, offset: offsetOf('web.yaml', 'api-token'), workspace, cluster: { ...cluster, names: () => ['other'] } });
  assert.deepEqual(missing, []);
});

test('a Service\'s selector leads to the workloads it selects; port names to the container port they name', () => {
  assert.deepEqual(definitions('web.yaml', 'app: web\n  ports'), ['web.yaml:4:web']);
  assert.deepEqual(definitions('web.yaml', 'targetPort: http', 1, 'targetPort: '.length + 1), ['web.yaml:18:http']);
  assert.deepEqual(definitions('web.yaml', 'port: http }', 1, 'port: '.length + 1), ['web.yaml:18:http']);
  assert.deepEqual(definitions('web.yaml', 'port: { name: http', 1, 'port: { name: '.length + 1), ['web.yaml:44:http']);
});

test('references to a ConfigMap from its name, and from one of its uses, with or without the declaration', () => {
  const fromName = referencesAt({ analysis: analyses.get('config.yaml')!, offset: offsetOf('config.yaml', 'web-config'), workspace }, false).map(where);
  assert.deepEqual(fromName, ['web.yaml:25:web-config', 'web.yaml:31:web-config']);
  const fromUse = referencesAt({ analysis: analyses.get('web.yaml')!, offset: offsetOf('web.yaml', 'web-config }'), workspace }, true).map(where);
  assert.deepEqual(fromUse, ['config.yaml:4:web-config', 'web.yaml:25:web-config', 'web.yaml:31:web-config']);
});

test('references to a workload: the Services that select it and what scales it', () => {
  const refs = referencesAt({ analysis: analyses.get('web.yaml')!, offset: offsetOf('web.yaml', 'name: web', 1, 'name: '.length + 1), workspace }, false).map(where);
  assert.deepEqual(refs.sort(), ['web.yaml:52:web', 'web.yaml:41:selector'].sort());
  const service = referencesAt({ analysis: analyses.get('web.yaml')!, offset: offsetOf('web.yaml', 'kind: Service', 1, 'kind: '.length + 1), workspace }, false).map(where);
  assert.deepEqual(service, ['web.yaml:67:web']);
});

test('the outline: one entry per document, containers beneath workloads; a live-state lens per workload', () => {
  const symbols = documentSymbols(analyses.get('web.yaml')!);
  assert.deepEqual(symbols.map((s) => s.name), ['Deployment/web', 'Service/web', 'HorizontalPodAutoscaler/web', 'Ingress/web']);
  assert.deepEqual(symbols[0].children.map((c) => [c.name, c.detail, c.kind]), [['web', 'nginx', 'container']]);
  assert.equal(symbols[0].detail, 'apps/v1 · shop');
  assert.equal(symbols[0].selectionRange.start.line, 3);
  assert.equal(symbols[1].range.start.line, 34);
  assert.deepEqual(workloadLenses(analyses.get('web.yaml')!), [{ offset: 0, kind: 'Deployment', name: 'web', namespace: 'shop' }]);
  assert.deepEqual(documentSymbols(analyses.get('config.yaml')!).map((s) => s.name), ['ConfigMap/web-config', 'ServiceAccount/web', 'PersistentVolumeClaim/cache']);
});
