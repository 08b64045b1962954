/**
 * Watch benchmark: the informer against the in-process API simulator with 10,000 pods.
 *
 * - initialSyncMs: Informer.start() -> 'synced' (paginated list, 500 per page, slim projection).
 * - retainedMB: heap retained by the informer's cache after sync and a full GC, minus the heap
 *   measured (after GC) just before the informer started.
 * - perEventUs: 20,000 MODIFIED pod updates streamed through the simulator's watch; the time the
 *   informer spends handling the watch body (line splitting, JSON.parse, projection, store,
 *   listeners), divided by the events — the server's cost is not included.
 * - treeRefreshesPerSec: a Coalescer at 10/s signalled by every event; steady-state flushes per
 *   second over the update stream (baseline.eventsPerSec is the rate it was fed at).
 * - baseline, same run: listAllMs (the same pages fetched by KubeClient.listAll without an
 *   informer), jsonParseUs (a bare JSON.parse of equivalent watch event lines), and ratios.
 *
 * Prints one JSON object on its last line.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { IncomingMessage } from 'node:http';
import { KubeClient } from '../src/kube/api';
import { Coalescer } from '../src/kube/coalesce';
import { loadKubeconfig } from '../src/kube/config';
import { kinds } from '../src/kube/kinds';
import type { KubeObject } from '../src/kube/types';
import { Informer } from '../src/kube/watch';
import { startSimulator } from '../test/sim/server';
import { kubeApiJson } from '../test/fixtures/kubeApi';

const PODS = 10_000;
const NAMESPACES = 50;
const UPDATES = 20_000;
const UPDATES_PER_TICK = 400;
const TICK_MS = 20;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMB(): number {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function podTemplate(): KubeObject {
  const list = kubeApiJson('pods-web-running.json') as { items: KubeObject[] };
  return list.items[0];
}

/** Pods shaped like the recorded one, with the managedFields a real API server adds. */
function makePods(): KubeObject[] {
  const template = podTemplate();
  const managedFields = [
    { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: '2026-11-22T01:21:16Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:generateName': {}, 'f:labels': { '.': {}, 'f:app': {}, 'f:pod-template-hash': {} }, 'f:ownerReferences': { '.': {}, 'k:{"uid":"x"}': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:ports': {}, 'f:resources': {} } }, 'f:dnsPolicy': {}, 'f:restartPolicy': {}, 'f:schedulerName': {} } } },
    { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: '2026-11-22T01:21:20Z', fieldsType: 'FieldsV1', subresource: 'status', fieldsV1: { 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { '.': {}, 'f:lastProbeTime': {}, 'f:lastTransitionTime': {}, 'f:status': {}, 'f:type': {} } }, 'f:containerStatuses': {}, 'f:hostIP': {}, 'f:phase': {}, 'f:podIP': {}, 'f:podIPs': { '.': {}, 'k:{"ip":"10.42.0.9"}': { '.': {}, 'f:ip': {} } }, 'f:startTime': {} } } },
  ];
  const pods: KubeObject[] = [];
  for (let i = 0; i < PODS; i++) {
    const pod = structuredClone(template);
    const namespace = `ns-${i % NAMESPACES}`;
    pod.metadata = { ...pod.metadata, name: `web-${i}`, namespace, uid: `pod-${i}`, resourceVersion: '', managedFields: structuredClone(managedFields) } as KubeObject['metadata'];
    pods.push(pod);
  }
  return pods;
}

async function main(): Promise<void> {
  const sim = await startSimulator({ controllers: false, historySize: UPDATES + 1000 });
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${i}` } }));
  sim.seed([...namespaces, ...makePods()] as Parameters<typeof sim.seed>[0]);
  const client = KubeClient.forContext(loadKubeconfig({ KUBECONFIG: sim.kubeconfigPath }), sim.context);

  // Baseline: the same paginated list without an informer.
  const listStart = performance.now();
  const raw = await client.listAll(kinds.Pod, undefined);
  const listAllMs = performance.now() - listStart;
  if (raw.items.length !== PODS) throw new Error(`expected ${PODS} pods, listed ${raw.items.length}`);
  const sampleLines = raw.items.slice(0, 2000).map((pod) => JSON.stringify({ type: 'MODIFIED', object: pod }));
  raw.items.length = 0;

  const heapBefore = heapMB();
  const informer = new Informer<KubeObject>(client, kinds.Pod, '');
  // Time spent inside the informer's handling of watch body chunks.
  let busyNs = 0n;
  const stream = client.stream.bind(client);
  client.stream = async (options) => {
    const response: IncomingMessage = await stream(options);
    const emit = response.emit.bind(response) as (event: string | symbol, ...args: unknown[]) => boolean;
    response.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event !== 'data') return emit(event, ...args);
      const t0 = process.hrtime.bigint();
      const result = emit(event, ...args);
      busyNs += process.hrtime.bigint() - t0;
      return result;
    }) as typeof response.emit;
    return response;
  };

  const syncStart = performance.now();
  const synced = new Promise<void>((resolve) => {
    const sub = informer.onEvent((e) => {
      if (e.type === 'synced') {
        sub.dispose();
        resolve();
      }
    });
  });
  informer.start();
  await synced;
  const initialSyncMs = performance.now() - syncStart;
  while (sim.openWatches < 1) await new Promise((r) => setTimeout(r, 5));
  const retainedMB = heapMB() - heapBefore;
  if (informer.objects.size !== PODS) throw new Error(`informer holds ${informer.objects.size} pods`);

  // The update stream, paced so the coalescer's rate is measured over a couple of seconds.
  const flushTimes: number[] = [];
  const coalescer = new Coalescer(() => flushTimes.push(performance.now()), 10);
  let modified = 0;
  informer.onEvent((e) => {
    if (e.type === 'modified') modified++;
    coalescer.signal();
  });
  busyNs = 0n;
  const streamStart = performance.now();
  const names = [...informer.objects.values()].map((p) => [p.metadata.namespace ?? '', p.metadata.name] as const);
  for (let sent = 0; sent < UPDATES; ) {
    for (let i = 0; i < UPDATES_PER_TICK && sent < UPDATES; i++, sent++) {
      const [namespace, name] = names[sent % names.length];
      sim.cluster.updateStatus('Pod', namespace, name, (status) => {
        status.message = `update ${sent}`;
      });
    }
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  const deadline = Date.now() + 30_000;
  while (modified < UPDATES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  if (modified < UPDATES) throw new Error(`only ${modified} of ${UPDATES} updates arrived`);
  const eventsPerSec = UPDATES / ((performance.now() - streamStart) / 1000);
  const perEventUs = Number(busyNs) / 1000 / UPDATES;
  const span = (flushTimes.at(-1)! - flushTimes[0]) / 1000;
  const treeRefreshesPerSec = span > 0 ? (flushTimes.length - 1) / span : flushTimes.length;

  // Baseline: a bare JSON.parse of equivalent event lines.
  let sink = 0;
  const parseStart = process.hrtime.bigint();
  for (let round = 0; round < 10; round++) {
    for (const line of sampleLines) sink += (JSON.parse(line) as { type: string }).type.length;
  }
  const jsonParseUs = Number(process.hrtime.bigint() - parseStart) / 1000 / (sampleLines.length * 10);
  if (sink === 0) throw new Error('unreachable');

  coalescer.dispose();
  informer.dispose();
  client.dispose();
  await sim.stop();

  const result = {
    pods: PODS,
    initialSyncMs: round(initialSyncMs, 1),
    retainedMB: round(retainedMB, 1),
    perEventUs: round(perEventUs),
    treeRefreshesPerSec: round(treeRefreshesPerSec, 1),
    baseline: {
      listAllMs: round(listAllMs, 1),
      eventsPerSec: Math.round(eventsPerSec),
      jsonParseUs: round(jsonParseUs),
      syncVsListAll: round(initialSyncMs / listAllMs),
      eventVsJsonParse: round(perEventUs / jsonParseUs),
    },
    goals: { initialSyncMs: 1500, retainedMB: 50, perEventUs: 50, treeRefreshesPerSec: 10 },
  };
  console.log(`updates: ${UPDATES}, flushes: ${flushTimes.length} over ${round(span)} s`);
  console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
