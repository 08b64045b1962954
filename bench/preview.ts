/**
 * The preview loop against the simulator (process runtime: the agent runs as a real process).
 *
 * createToPreviewMs: no sandbox -> the preview URL answers (apply, agent pod up, its connection
 * up, Lease renewed, listener open, health check passed); warmPreviewMs: the median of ensure()
 * when everything already runs. Their baseline in the same run: a bare pods/portforward to the
 * agent pod plus one HTTP GET over it, and one GET through the preview URL.
 *
 * Then, with the simulator's latency injection at 20 ms per request (a remote cluster: every REST
 * answer, port-forward upgrade and message back from a pod waits that long), the time from a new
 * TCP connection on the preview URL to the first byte of the answer, for a sandbox whose entry
 * answers inside the cluster: newConnectionP50Ms and P90, and six connections opened at once
 * (parallel6MaxMs: until the last of them has its first byte, median over rounds). The baseline in
 * the same run: the same through a bare openPortForward to the entry's pod, one per connection.
 * newConnectionLocalForkP50Ms is the same for the local fork's preview, whose answer comes from
 * this computer: the request crosses the link twice, so two round trips.
 * Prints one JSON object on its last line.
 */
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { kinds } from '../src/kube/kinds';
import { openPortForward } from '../src/kube/portforward';
import type { KubeObject } from '../src/kube/types';
import { sandboxSelector } from '../src/sandbox/labels';
import { checkHealth } from '../src/sandbox/lifecycle/health';
import type { SandboxSpec } from '../src/sandbox/spec';
import { greetingWorkload } from '../test/sim-tests/preview/previewBaseline';
import { previewCluster, type PreviewCluster } from '../test/sim-tests/preview/previewCluster';

const goals = { createToPreviewMs: 5000, warmPreviewMs: 1000, newConnectionP50Ms: 30, parallel6MaxMs: 50 };
const latencyMs = 20;
const rounds = 25;
const parallelRounds = 9;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}

const median = (values: number[]) => quantile(values, 0.5);
const round = (n: number) => Math.round(n * 10) / 10;

const request = (path: string) => `GET ${path} HTTP/1.1\r\nHost: preview\r\nConnection: close\r\n\r\n`;

/** Writes the request on `stream` and resolves at the first byte of the answer. */
function firstByte(stream: Duplex, path: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    stream.once('data', () => {
      stream.destroy();
      resolve();
    });
    stream.once('error', reject);
    stream.write(request(path));
  });
}

/** A new TCP connection on the preview URL to the first byte of the answer. */
async function previewConnection(url: string): Promise<number> {
  const { port, pathname } = new URL(url);
  const started = performance.now();
  const socket = connect({ host: '127.0.0.1', port: Number(port), noDelay: true });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  await firstByte(socket, pathname);
  return performance.now() - started;
}

/** The same through a bare port-forward of its own to `pod`, as the preview made them before. */
async function bareConnection(c: PreviewCluster, namespace: string, pod: string, port: number, path: string): Promise<number> {
  const started = performance.now();
  await firstByte(await openPortForward(c.client, namespace, pod, port), path);
  return performance.now() - started;
}

/** `n` connections opened at once: until the last of them has its first byte. */
async function atOnce(n: number, open: () => Promise<number>): Promise<number> {
  const started = performance.now();
  await Promise.all(Array.from({ length: n }, open));
  return performance.now() - started;
}

async function readyPod(c: PreviewCluster, namespace: string, labelSelector: string): Promise<string> {
  const { items } = await c.client.list<KubeObject>(kinds.Pod, namespace, { labelSelector });
  const pod = items.find((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running' && !p.metadata.deletionTimestamp);
  if (!pod) throw new Error(`no running pod matches ${labelSelector} in ${namespace}`);
  return pod.metadata.name;
}

/** Connection timings of one preview against its bare port-forward baseline, measured alternately. */
async function connections(url: string, bare: () => Promise<number>): Promise<{ preview: number[]; bare: number[]; preview6: number[]; bare6: number[] }> {
  const out = { preview: [] as number[], bare: [] as number[], preview6: [] as number[], bare6: [] as number[] };
  for (let i = 0; i < 3; i++) await previewConnection(url); // warm: the agent's dial, the entry's first request
  for (let i = 0; i < rounds; i++) {
    out.preview.push(await previewConnection(url));
    out.bare.push(await bare());
  }
  for (let i = 0; i < parallelRounds; i++) {
    out.preview6.push(await atOnce(6, () => previewConnection(url)));
    out.bare6.push(await atOnce(6, bare));
  }
  return out;
}

async function main(): Promise<void> {
  const cleanups: (() => unknown)[] = [];
  // The simulator's own pod timings (as in the demo), not the shortened ones of the tests.
  const c = await previewCluster({ after: (fn) => cleanups.push(fn) }, 'preview-bench', { timings: 'simulator' });
  try {
    const local = c.request(c.localSpec(), { healthTimeoutMs: 30_000 });
    const coldStarted = performance.now();
    const cold = await c.loop.ensure(local);
    const createToPreviewMs = performance.now() - coldStarted;

    const warm: number[] = [];
    for (let i = 0; i < 7; i++) {
      const started = performance.now();
      const result = await c.loop.ensure(local);
      if (!result.warm) throw new Error('the second preview was not warm');
      warm.push(performance.now() - started);
    }

    const agentPod = await readyPod(c, cold.namespace, `${sandboxSelector(cold.sandbox)},tether.dev/agent`);
    const bareGet: number[] = [];
    const viaPreview: number[] = [];
    for (let i = 0; i < 7; i++) {
      bareGet.push(await bareConnection(c, cold.namespace, agentPod, c.apiPort, '/products'));
      const health = await checkHealth(cold.url);
      if (!health.ok) throw new Error('the preview stopped answering');
      viaPreview.push(health.ms);
    }

    // A sandbox whose entry answers inside the cluster: an env fork of a small HTTP server.
    for (const object of greetingWorkload(c.shop, c.cluster.images.relay)) await c.cluster.apply(object);
    await c.cluster.waitForPodReady('app=hello');
    const helloSpec: SandboxSpec = { name: 'hello', baseline: { namespace: c.shop }, ttlSeconds: 7200, forks: [{ workload: { kind: 'Deployment', name: 'hello' }, mode: 'env', env: { GREETING: 'the sandbox' }, ports: [] }], preview: { service: 'hello', port: 80, path: '/hi' }, checks: [] };
    const hello = await c.loop.ensure(c.request(helloSpec, { branch: 'bench-hello', healthTimeoutMs: 30_000 }));
    const helloPod = await readyPod(c, hello.namespace, `${sandboxSelector(hello.sandbox)},tether.dev/fork=hello`);

    c.cluster.sim().faults.latencyMs = latencyMs;
    const remote = await connections(hello.url, () => bareConnection(c, hello.namespace, helloPod, 8080, '/hi'));
    const localFork: number[] = [];
    for (let i = 0; i < rounds; i++) localFork.push(await previewConnection(cold.url));
    c.cluster.sim().faults.latencyMs = 0;

    const newConnectionP50Ms = median(remote.preview);
    const parallel6MaxMs = median(remote.preview6);
    const result = {
      bench: 'preview',
      createToPreviewMs: Math.round(createToPreviewMs),
      warmPreviewMs: round(median(warm)),
      warmPreviewMaxMs: round(Math.max(...warm)),
      latencyMs,
      newConnectionP50Ms: round(newConnectionP50Ms),
      newConnectionP90Ms: round(quantile(remote.preview, 0.9)),
      parallel6MaxMs: round(parallel6MaxMs),
      parallel6WorstMs: round(Math.max(...remote.preview6)),
      newConnectionLocalForkP50Ms: round(median(localFork)),
      baseline: {
        bareForwardGetMs: round(median(bareGet)),
        previewGetMs: round(median(viaPreview)),
        openPortForwardP50Ms: round(median(remote.bare)),
        openPortForwardP90Ms: round(quantile(remote.bare, 0.9)),
        openPortForwardParallel6MaxMs: round(median(remote.bare6)),
        newConnectionVsOpenPortForward: round(newConnectionP50Ms / median(remote.bare)),
      },
      goals,
      pass: createToPreviewMs <= goals.createToPreviewMs && median(warm) <= goals.warmPreviewMs && newConnectionP50Ms <= goals.newConnectionP50Ms && parallel6MaxMs <= goals.parallel6MaxMs,
    };
    console.log(JSON.stringify(result));
  } finally {
    // In the order registered, as node:test runs after-hooks: the preview loop stops before the cluster goes.
    for (const fn of cleanups) await fn();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
