// Generates schemas/kubernetes.json, the bundled offline schema used by src/manifests.
//
// Structure, field types, descriptions and required fields come from @kubernetes/client-node's
// generated models (dist/gen/models: attributeTypeMap in the .js, docs and `?` in the .d.ts).
// Enum values and which string maps hold resource quantities are not in those models; they come
// from the recorded /openapi/v3 documents for core/v1 and apps/v1 (test/fixtures/kube-api),
// plus a short list for newer quantity fields. Run: node scripts/gen-schema.mjs
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const modelsDir = path.join(path.dirname(require.resolve('@kubernetes/client-node/package.json')), 'dist/gen/models');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const samples = path.join(root, 'test', 'fixtures', 'kube-api');

/** The kinds people write by hand, by apiVersion. */
const KINDS = {
  v1: ['Pod', 'Service', 'ConfigMap', 'Secret', 'Namespace', 'ServiceAccount', 'PersistentVolumeClaim',
    'PersistentVolume', 'ReplicationController', 'LimitRange', 'ResourceQuota', 'Endpoints', 'PodTemplate'],
  'apps/v1': ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'],
  'batch/v1': ['Job', 'CronJob'],
  'networking.k8s.io/v1': ['Ingress', 'IngressClass', 'NetworkPolicy'],
  'rbac.authorization.k8s.io/v1': ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
  'policy/v1': ['PodDisruptionBudget'],
  'autoscaling/v1': ['HorizontalPodAutoscaler'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'storage.k8s.io/v1': ['StorageClass', 'CSIDriver'],
  'coordination.k8s.io/v1': ['Lease'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
};

/** Quantity-valued fields of types newer than the recorded documents or outside core and apps. */
const EXTRA_QUANTITY = { V1VolumeResourceRequirements: ['limits', 'requests'], V2MetricTarget: ['averageValue', 'value'] };
/** String maps whose values are base64 ([]byte in Go), which the models describe as plain strings. */
const BYTE_MAPS = { V1Secret: ['data'], V1ConfigMap: ['binaryData'] };
const MAX_DESCRIPTION = 320;

function modelName(apiVersion, kind) {
  const version = apiVersion.split('/').pop();
  return version[0].toUpperCase() + version.slice(1) + kind;
}

function readModel(name) {
  const js = readFileSync(path.join(modelsDir, `${name}.js`), 'utf8');
  const dts = readFileSync(path.join(modelsDir, `${name}.d.ts`), 'utf8');
  const m = js.match(/attributeTypeMap = (\[[\s\S]*?\]);/);
  const attrs = m ? JSON.parse(m[1]) : [];
  const docs = {};
  const required = [];
  const propRe = /(?:\/\*\*\n((?:(?!\*\/)[\s\S])*?)\*\/\n\s*)?'([^']+)'(\?)?:/g;
  for (const pm of dts.matchAll(propRe)) {
    if (pm[1]) docs[pm[2]] = cleanDoc(pm[1]);
    if (!pm[3]) required.push(pm[2]);
  }
  const classDoc = dts.match(/\/\*\*\n((?:(?!\*\/)[\s\S])*?)\*\/\nexport declare class/);
  return { attrs, docs, required, doc: classDoc ? cleanDoc(classDoc[1]) : undefined };
}

function cleanDoc(raw) {
  let s = raw.split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join(' ').replace(/\\(["'])/g, '$1').replace(/\s+/g, ' ').trim();
  if (s.length > MAX_DESCRIPTION) {
    const cut = s.lastIndexOf('. ', MAX_DESCRIPTION);
    s = cut > 80 ? s.slice(0, cut + 1) : s.slice(0, MAX_DESCRIPTION) + '…';
  }
  return s || undefined;
}

function loadRecordedHints() {
  const enums = {};
  const quantities = {};
  for (const file of ['openapi-v3-api-v1.json.gz', 'openapi-v3-apps-v1.json.gz']) {
    const p = path.join(samples, file);
    if (!existsSync(p)) throw new Error(`recorded OpenAPI document ${p} is missing (see test/fixtures/kube-api/README.md)`);
    const schemas = JSON.parse(gunzipSync(readFileSync(p)).toString('utf8')).components.schemas;
    for (const [full, s] of Object.entries(schemas)) {
      const mm = full.match(/^io\.k8s\.api\.(core|apps)\.v1\.(\w+)$/);
      if (!mm || !s.properties) continue;
      const name = 'V1' + mm[2];
      for (const [prop, ps] of Object.entries(s.properties)) {
        if (Array.isArray(ps.enum)) (enums[name] ??= {})[prop] = ps.enum;
        const ref = JSON.stringify(ps.allOf ?? ps.additionalProperties ?? ps.$ref ?? '');
        if (ref.includes('api.resource.Quantity')) (quantities[name] ??= new Set()).add(prop);
      }
    }
  }
  for (const [name, props] of Object.entries(EXTRA_QUANTITY)) for (const p of props) (quantities[name] ??= new Set()).add(p);
  return { enums, quantities };
}

function typeExpr(t, format, isQuantity, queue, isByteMap = false) {
  if (t.startsWith('Array<') && t.endsWith('>')) return '[]' + typeExpr(t.slice(6, -1), '', isQuantity, queue);
  const map = t.match(/^\{ \[key: string\]: (.+); \}$/);
  if (map) return '{}' + typeExpr(map[1], isByteMap ? 'byte' : '', isQuantity, queue);
  switch (t) {
    case 'string':
      if (isQuantity) return 'quantity';
      if (format === 'byte') return 'byte';
      return 'string';
    case 'number':
      return format === 'int32' || format === 'int64' ? 'integer' : 'number';
    case 'boolean':
      return 'boolean';
    case 'Date':
    case 'V1MicroTime':
      return 'date-time';
    case 'IntOrString':
      return 'int-or-string';
    case 'any':
    case 'object':
      return 'any';
    default:
      if (!/^[A-Z]\w+$/.test(t)) throw new Error(`unexpected model type "${t}"`);
      queue.push(t);
      return '#' + t;
  }
}

function generate() {
  const hints = loadRecordedHints();
  const out = { version: '1.34', kinds: {}, types: {} };
  const queue = [];
  for (const [apiVersion, kinds] of Object.entries(KINDS)) {
    for (const kind of kinds) {
      const name = modelName(apiVersion, kind);
      out.kinds[`${apiVersion}/${kind}`] = name;
      queue.push(name);
    }
  }
  const topLevel = new Set(Object.values(out.kinds));
  while (queue.length) {
    const name = queue.shift();
    if (out.types[name]) continue;
    const model = readModel(name);
    const type = { p: {} };
    if (model.doc) type.d = model.doc;
    const req = model.required.filter((r) => !(topLevel.has(name) && r === 'status'));
    if (req.length) type.r = req;
    out.types[name] = type;
    for (const a of model.attrs) {
      // What people write never includes status; it is accepted but not described.
      if (topLevel.has(name) && a.baseName === 'status') {
        type.p.status = { t: 'any' };
        continue;
      }
      const isQuantity = hints.quantities[name]?.has(a.baseName) ?? false;
      const field = { t: typeExpr(a.type, a.format, isQuantity, queue, BYTE_MAPS[name]?.includes(a.baseName)) };
      const d = model.docs[a.name] ?? model.docs[a.baseName];
      if (d) field.d = d;
      const e = hints.enums[name]?.[a.baseName];
      if (e) field.e = e;
      type.p[a.baseName] = field;
    }
  }
  return out;
}

const result = generate();
const target = path.join(root, 'schemas/kubernetes.json');
writeFileSync(target, JSON.stringify(result) + '\n');
console.log(`wrote ${target}: ${Object.keys(result.kinds).length} kinds, ${Object.keys(result.types).length} types, ${(JSON.stringify(result).length / 1024).toFixed(0)} KiB`);
