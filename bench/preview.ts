/**
 * The preview loop against the simulator (process runtime: the relay agent runs as a real process):
 * createToPreviewMs is no sandbox -> the preview URL answers (apply, relay pod up, tunnel
 * connected, Lease renewed, listener open, health check passed); warmPreviewMs is the median of
 * ensure() when everything already runs. The baseline in the same run: a bare pods/portforward to
 * the relay pod plus one HTTP GET over it, and one GET through the preview URL.
 * Prints one JSON object on its last line.
 */
import { kinds } from '../src/kube/kinds';
import { openPortForward } from '../src/kube/portforward';
import type { KubeObject } from '../src/kube/types';
import { sandboxSelector } from '../src/sandbox/labels';
import { checkHealth } from '../src/sandbox/lifecycle/health';
import { previewCluster, type PreviewCluster } from '../test/sim-tests/preview/previewCluster';

const goals = { createToPreviewMs: 5000, warmPreviewMs: 1000 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const round = (n: number) => Math.round(n * 10) / 10;

/** One HTTP GET written straight onto a fresh port-forward stream: the cost of the bare transport. */
async function bareForwardGet(c: PreviewCluster, namespace: string, pod: string): Promise<number> {
  const started = performance.now();
  const stream = await openPortForward(c.client, namespace, pod, c.apiPort);
  await new Promise<void>((resolve, reject) => {
    let text = '';
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('local v1')) resolve();
    });
    stream.once('error', reject);
    stream.write('GET /products HTTP/1.1\r\nHost: preview\r\nConnection: close\r\n\r\n');
  });
  stream.destroy();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const cleanups: (() => unknown)[] = [];
  // The simulator's own pod timings (as in the demo), not the shortened ones of the tests.
  const c = await previewCluster({ after: (fn) => cleanups.push(fn) }, 'preview-bench', { timings: 'simulator' });
  try {
    const request = c.request(c.localSpec(), { healthTimeoutMs: 30_000 });
    const coldStarted = performance.now();
    const cold = await c.loop.ensure(request);
    const createToPreviewMs = performance.now() - coldStarted;

    const warm: number[] = [];
    for (let i = 0; i < 7; i++) {
      const started = performance.now();
      const result = await c.loop.ensure(request);
      if (!result.warm) throw new Error('the second preview was not warm');
      warm.push(performance.now() - started);
    }

    const relayPods = await c.client.list<KubeObject>(kinds.Pod, cold.namespace, { labelSelector: `${sandboxSelector(cold.sandbox)},app.kubernetes.io/component=relay` });
    const pod = relayPods.items[0].metadata.name;
    const bare: number[] = [];
    const viaPreview: number[] = [];
    for (let i = 0; i < 7; i++) {
      bare.push(await bareForwardGet(c, cold.namespace, pod));
      const health = await checkHealth(cold.url);
      if (!health.ok) throw new Error('the preview stopped answering');
      viaPreview.push(health.ms);
    }
    const result = {
      bench: 'preview',
      createToPreviewMs: Math.round(createToPreviewMs),
      warmPreviewMs: round(median(warm)),
      warmPreviewMaxMs: round(Math.max(...warm)),
      baseline: { bareForwardGetMs: round(median(bare)), previewGetMs: round(median(viaPreview)) },
      goals,
      pass: createToPreviewMs <= goals.createToPreviewMs && median(warm) <= goals.warmPreviewMs,
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
