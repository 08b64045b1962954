/**
 * Completion benchmark (npm run bench:complete): requests at typical cursors in a 1,000-line
 * manifest file — keys in a container, enum values, ConfigMap and Secret references, node
 * selector keys, resource names, a new toleration, a whole document, a Service's targetPort — with
 * the workspace indexed and the cluster values read from the real cache (ClusterLookups on a
 * WatchHub) over the in-process simulator holding 5,000 objects. Prints p50/p95 per request, per
 * request kind, the cold requests (caches empty: they must not wait, only say "incomplete"), and
 * baselines measured in the same run: a schema hover at the same places, and re-validating the
 * file after a keystroke (what the editor does on each edit anyway). Last line: one JSON object.
 */
import { loadavg } from 'node:os';
import { WatchHub } from '../src/kube/hub';
import { KubeClient } from '../src/kube/api';
import { loadKubeconfig } from '../src/kube/config';
import { toDisposable } from '../src/lifecycle';
import { complete } from '../src/manifests/complete/complete';
import { WorkspaceIndex } from '../src/manifests/navigate/workspaceIndex';
import { fieldAt } from '../src/manifests/schema/hover';
import { bundledSchema } from '../src/manifests/schema/index';
import { ManifestWorkspace } from '../src/manifests/workspace';
import { ClusterLookups } from '../src/ui/manifests/clusterLookups';
import type { ObjectInput } from '../test/sim/defaults';
import { startSimulator } from '../test/sim/server';
import { generateFile, prng } from '../test/fixtures/manifests/corpus';

const LINES = 1000;
const CLUSTER_OBJECTS = 5000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
/**
 * Namespaces the file's documents (and the cluster's objects) are spread over. An editor works in
 * a few at a time; each namespace costs a watch per kind (HTTP/1.1: one connection each).
 */
const NAMESPACES = 2;

interface Request {
  kind: string;
  text: string;
  offset: number;
}

function p(samples: number[], q: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.floor(s.length * q))].toFixed(2));
}

function manifestFile(): string {
  const rand = prng(7);
  let text = '';
  for (let i = 0; text.split('\n').length < LINES + 1; i++) text += (i ? '---\n' : '') + generateFile(rand, i, 1, 0);
  return text.split('\n').slice(0, LINES).join('\n').replace(/namespace: team-(\d+)/g, (_, n: string) => `namespace: team-${Number(n) % NAMESPACES}`) + '\n';
}

/** The offsets of lines matching `re` (the match object and where its line starts). */
function lines(text: string, re: RegExp): { start: number; m: RegExpExecArray }[] {
  const out: { start: number; m: RegExpExecArray }[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (m) out.push({ start, m });
    start += line.length + 1;
  }
  return out;
}

/** Inserts `insert` before the line at `at`; the cursor goes at the end of the insert. */
function insertBefore(text: string, at: number, insert: string): { text: string; offset: number } {
  return { text: text.slice(0, at) + insert + '\n' + text.slice(at), offset: at + insert.length };
}

function requests(base: string): Request[] {
  const out: Request[] = [];
  for (const { start, m } of lines(base, /^( +)image: /)) out.push({ kind: 'containerKey', ...insertBefore(base, start, `${m[1]}im`) });
  for (const { start, m } of lines(base, /^( +)imagePullPolicy: /)) out.push({ kind: 'enumValue', text: base, offset: start + m[0].length });
  for (const { start, m } of lines(base, /^( +)env:$/)) {
    const at = start + m[0].length + 1;
    const i = `${m[1]}  `;
    out.push({ kind: 'configMapRef', ...insertBefore(base, at, `${i}- name: MODE\n${i}  valueFrom:\n${i}    configMapKeyRef:\n${i}      name: cm-1`) });
  }
  for (const { start, m } of lines(base, /^( +)serviceAccountName: (.*)$/)) {
    const i = m[1];
    out.push({ kind: 'serviceAccount', text: base, offset: start + m[0].length });
    out.push({ kind: 'secretName', ...insertBefore(base, start, `${i}volumes:\n${i}  - name: tls\n${i}    secret:\n${i}      secretName: sec`) });
    out.push({ kind: 'nodeSelectorKey', ...insertBefore(base, start, `${i}nodeSelector:\n${i}  nv`) });
    out.push({ kind: 'tolerationItem', ...insertBefore(base, start, `${i}tolerations:\n${i}  - `) });
  }
  for (const { start, m } of lines(base, /^( +)limits:$/)) out.push({ kind: 'resourceKey', ...insertBefore(base, start + m[0].length + 1, `${m[1]}  nv`) });
  for (const { start, m } of lines(base, /^( +)targetPort: /)) out.push({ kind: 'targetPort', text: base, offset: start + m[0].length });
  out.push({ kind: 'documentTemplate', text: `${base}---\n`, offset: base.length + 4 });
  return out;
}

function clusterObjects(): ObjectInput[] {
  const objects: ObjectInput[] = [];
  const ns = (i: number) => `team-${i % NAMESPACES}`;
  for (let i = 0; i < NAMESPACES; i++) objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns(i) } });
  for (let i = 0; i < 300; i++) {
    const gpu = i < 100;
    const allocatable: Record<string, string> = { cpu: '64', memory: '512Gi', pods: '110', ...(gpu ? { 'nvidia.com/gpu': '8' } : {}) };
    objects.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}`, 'topology.kubernetes.io/zone': `zone-${i % 3}`, ...(gpu ? { 'nvidia.com/gpu.product': i % 2 ? 'NVIDIA-A100-SXM4-80GB' : 'NVIDIA-H100-80GB-HBM3' } : {}) } },
      spec: gpu ? { taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] } : {},
      status: { allocatable, capacity: allocatable },
    });
  }
  for (let i = 0; i < 20; i++) {
    objects.push({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: `priority-${i}` }, value: i * 1000 } as ObjectInput);
    objects.push({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: `storage-${i}` }, provisioner: 'csi.example.com' } as ObjectInput);
  }
  for (let i = 0; i < 1500; i++) objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `secret-${i}`, namespace: ns(i) }, data: { token: 'c2VjcmV0' } } as ObjectInput);
  for (let i = 0; i < 600; i++) objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `sa-${i}`, namespace: ns(i) } });
  for (let i = 0; i < 500; i++) objects.push({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: `claim-${i}`, namespace: ns(i) }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
  for (let i = 0; objects.length < CLUSTER_OBJECTS; i++) objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: ns(i) }, data: { key: 'value' } } as ObjectInput);
  return objects;
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

async function main(): Promise<void> {
  const sim = await startSimulator({ controllers: false });
  const objects = clusterObjects();
  sim.seed(objects as Parameters<typeof sim.seed>[0]);
  const config = loadKubeconfig({ KUBECONFIG: sim.kubeconfigPath });
  const client = KubeClient.forContext(config, sim.context);
  const hub = new WatchHub(() => client);
  const logger = { trace() {}, debug() {}, info() {}, warn: (m: string) => process.stderr.write(`${m}\n`), error: (m: string) => process.stderr.write(`${m}\n`) };
  const lookups = new ClusterLookups({ selectedContext: sim.context, onDidChange: () => toDisposable(() => undefined), kube: async () => ({ hub, config: { contexts: [{ name: sim.context, namespace: 'team-0' }] } }) }, { logger });

  const base = manifestFile();
  const workspace = new ManifestWorkspace();
  workspace.set('file:///ws/k8s/big.yaml', base, 1);
  const rand = prng(11);
  for (let i = 0; i < 20; i++) workspace.set(`file:///ws/k8s/app-${i}.yaml`, generateFile(rand, 1000 + i * 10, 10), 1);
  const schema = { schema: bundledSchema(), origin: 'Kubernetes 1.34 schema' };
  const all = requests(base);
  const run = (r: Request) =>
    complete({ text: r.text, offset: r.offset, schema, workspace: WorkspaceIndex.of(workspace.paths().map((p) => workspace.analysis(p)!)), cluster: lookups.current() });

  // Warm the JIT on the same requests without a cluster, so "cold" below measures empty caches only.
  for (const r of all) complete({ text: r.text, offset: r.offset, schema, workspace: WorkspaceIndex.of(workspace.paths().map((p) => workspace.analysis(p)!)) });
  // Cold: nothing cached yet. Each request must come back at once, marked incomplete.
  const cold: number[] = [];
  let coldIncomplete = 0;
  for (const r of all) {
    let incomplete = false;
    cold.push(time(() => (incomplete = run(r).incomplete)));
    if (incomplete) coldIncomplete++;
  }
  const syncStart = performance.now();
  for (;;) {
    if (all.every((r) => !run(r).incomplete)) break;
    if (performance.now() - syncStart > 60_000) throw new Error(`the cluster caches did not fill within 60 s: still waiting for ${[...new Set(all.filter((r) => run(r).incomplete).map((r) => r.kind))].join(', ')}`);
    await new Promise((res) => setTimeout(res, 20));
  }
  const syncMs = performance.now() - syncStart;
  process.stderr.write(`${all.length} cursors, ${objects.length} cluster objects cached in ${syncMs.toFixed(0)} ms (${lookups.watchCount} watches)\n`);

  const warm: number[] = [];
  const byKind = new Map<string, number[]>();
  let items = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const r of all) {
      let n = 0;
      const ms = time(() => (n = run(r).items.length));
      warm.push(ms);
      items += n;
      const list = byKind.get(r.kind) ?? [];
      list.push(ms);
      byKind.set(r.kind, list);
    }
  }

  // Baselines in the same run: a schema hover where the requests are, and re-validating after a keystroke.
  const analysis = workspace.analysis('file:///ws/k8s/big.yaml')!;
  const hover: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const r of all) {
      const offset = Math.min(r.offset, base.length - 1);
      hover.push(time(() => {
        const resource = analysis.resources.find((x) => offset >= x.root.start && offset <= x.root.end);
        if (resource) fieldAt(schema.schema, resource, offset);
      }));
    }
  }
  const keystroke: number[] = [];
  let previous = workspace.engine.analyze({ path: 'edit.yaml', text: base });
  for (const r of all.slice(0, 200)) {
    keystroke.push(time(() => {
      previous = workspace.engine.analyze({ path: 'edit.yaml', text: r.text }, previous);
      workspace.engine.report([previous]);
    }));
  }

  lookups.dispose();
  hub.dispose();
  client.dispose();
  await sim.stop();

  const p95 = p(warm, 0.95);
  const result = {
    lines: LINES,
    clusterObjects: objects.length,
    cursors: all.length,
    requests: warm.length,
    meanItems: Math.round(items / warm.length),
    p50Ms: p(warm, 0.5),
    p95Ms: p95,
    p99Ms: p(warm, 0.99),
    byKindP95Ms: Object.fromEntries([...byKind].map(([k, v]) => [k, p(v, 0.95)])),
    cold: { p95Ms: p(cold, 0.95), maxMs: Number(Math.max(...cold).toFixed(2)), incomplete: coldIncomplete, of: cold.length },
    cacheFillMs: Math.round(syncMs),
    baseline: { hoverP50Ms: p(hover, 0.5), hoverP95Ms: p(hover, 0.95), keystrokeValidateP95Ms: p(keystroke, 0.95) },
    ratioP95VsKeystrokeValidate: Number((p95 / p(keystroke, 0.95)).toFixed(2)),
    loadAverage1m: Number(loadavg()[0].toFixed(1)),
    goals: { p95Ms: 30 },
  };
  console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
