/**
 * The end of one pod's log, for a front door that shows it (the MCP server's pod_logs): only pods
 * of the developer's sandbox are read; a baseline pod, or anyone else's, is refused.
 */
import type { KubeClient } from '../kube/api';
import { ExplainedError } from '../kube/errors';
import { kinds } from '../kube/kinds';
import type { KubeObject } from '../kube/types';
import { belongsTo } from '../sandbox/labels';
import { sandboxPods } from '../sandbox/preview/previewStatus';
import { streamPodLog } from '../workloads/podLogStream';

export interface PodLogAsk {
  sandbox: string;
  namespace: string;
  pod: string;
  container?: string;
  previous?: boolean;
  tailLines?: number;
  signal?: AbortSignal;
}

export async function sandboxPodLog(client: KubeClient, ask: PodLogAsk): Promise<string[]> {
  const what = `Read the log of pod "${ask.pod}"`;
  const pod = await client.get<KubeObject>(kinds.Pod, ask.namespace, ask.pod, ask.signal).catch((err: unknown) => {
    if (err instanceof ExplainedError && err.reason === 'NotFound') return undefined;
    throw err;
  });
  if (!pod || !belongsTo(pod, ask.sandbox)) {
    const { pods } = await sandboxPods(client, ask.namespace, ask.sandbox, ask.signal);
    throw new ExplainedError({
      reason: 'Forbidden',
      what,
      why: `it is not a pod of sandbox "${ask.sandbox}", and only the sandbox's own pods are read (its pods: ${pods.map((p) => p.name).join(', ') || 'none'})`,
      remedy: 'Pick one of its pods',
    });
  }
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const sink = { lines: (batch: string[]) => void lines.push(...batch), end: () => resolve(), fail: (err: Error) => reject(err) };
    const target = ask.container ? { namespace: ask.namespace, pod: ask.pod, container: ask.container } : { namespace: ask.namespace, pod: ask.pod };
    streamPodLog(client, target, { follow: false, previous: ask.previous, tailLines: ask.tailLines ?? 200 }, sink, ask.signal ?? new AbortController().signal).catch(reject);
  });
  return lines;
}
