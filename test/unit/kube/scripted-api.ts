/**
 * A scripted list+watch endpoint on the local TLS cluster: lists page through `objects`, and each
 * watch request is answered by the next script step (or the last one, repeated).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, startLocalCluster, type LocalCluster } from './local-cluster';

export type WatchStep = (res: ServerResponse, req: IncomingMessage, url: URL) => void;

export interface ScriptedApi {
  cluster: LocalCluster;
  objects: Record<string, unknown>[];
  listResourceVersion: string;
  lists: URL[];
  watches: URL[];
  /** Responses currently held open. */
  openWatches: Set<ServerResponse>;
  watchSteps: WatchStep[];
  close(): Promise<void>;
}

export const configMap = (name: string, rv: string, extra: Record<string, unknown> = {}) => ({
  kind: 'ConfigMap',
  apiVersion: 'v1',
  metadata: { name, namespace: 'samples', uid: `uid-${name}`, resourceVersion: rv, managedFields: [{ manager: 'kubectl' }] },
  data: { a: '1' },
  ...extra,
});

export async function startScriptedApi(): Promise<ScriptedApi> {
  const api: Partial<ScriptedApi> = {
    objects: [],
    listResourceVersion: '1000',
    lists: [],
    watches: [],
    openWatches: new Set(),
    watchSteps: [],
  };
  const self = api as ScriptedApi;
  self.cluster = await startLocalCluster((req, res, url) => {
    if (url.pathname !== '/api/v1/namespaces/samples/configmaps') return sendJson(res, 404, { kind: 'Status', code: 404, message: 'no route' });
    if (url.searchParams.get('watch') === '1') {
      self.watches.push(url);
      const step = self.watchSteps[Math.min(self.watches.length - 1, self.watchSteps.length - 1)];
      self.openWatches.add(res);
      res.once('close', () => self.openWatches.delete(res));
      if (!step) return;
      step(res, req, url);
      return;
    }
    self.lists.push(url);
    const limit = Number(url.searchParams.get('limit') ?? '0') || self.objects.length;
    const start = Number(url.searchParams.get('continue') ?? '0');
    const items = self.objects.slice(start, start + limit);
    const metadata: Record<string, string> = { resourceVersion: self.listResourceVersion };
    if (start + limit < self.objects.length) metadata.continue = String(start + limit);
    sendJson(res, 200, { kind: 'ConfigMapList', apiVersion: 'v1', metadata, items });
  });
  self.close = () => self.cluster.close();
  return self;
}

/** Starts a chunked watch response and writes `lines` (each a JSON event), leaving it open unless `end`. */
export function streamLines(lines: string[], end: boolean): WatchStep {
  return (res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    for (const line of lines) res.write(`${line}\n`);
    if (end) res.end();
  };
}
