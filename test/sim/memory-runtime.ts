/**
 * The built-in pod runtime used when no process runtime is plugged in: it runs nothing itself,
 * keeps the simulated kubelet's log lines in memory and serves `pods/log` from them (follow,
 * tailLines, timestamps, sinceSeconds, limitBytes). Port-forward is refused with a clear error.
 */
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../../src/kube/types';
import type { PodRuntime, SimCluster, SubresourceRequest } from './contracts';
import { writeError } from './http-io';
import { badRequest } from './status';

interface LogLine {
  time: string;
  ms: number;
  text: string;
}

interface Follower {
  key: string;
  res: ServerResponse;
  timestamps: boolean;
}

function nanoTime(date: Date): string {
  return `${date.toISOString().slice(0, -1)}000000Z`;
}

interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: { waiting?: { reason?: string } };
}

export class MemoryRuntime implements PodRuntime {
  private readonly logs = new Map<string, LogLine[]>();
  private readonly followers = new Set<Follower>();

  constructor(private readonly cluster: SimCluster) {}

  claims(_pod: KubeObject): boolean {
    return false;
  }

  start(_pod: KubeObject): void {}

  stop(namespace: string, name: string): void {
    for (const f of [...this.followers]) {
      if (f.key.startsWith(`${namespace}/${name}/`)) {
        f.res.end();
        this.followers.delete(f);
      }
    }
    if (!this.cluster.get('Pod', namespace, name)) {
      for (const key of [...this.logs.keys()]) if (key.startsWith(`${namespace}/${name}/`)) this.logs.delete(key);
    }
  }

  appendLog(namespace: string, pod: string, container: string, line: string): void {
    const key = `${namespace}/${pod}/${container}`;
    const now = new Date();
    const entry = { time: nanoTime(now), ms: now.getTime(), text: line };
    let lines = this.logs.get(key);
    if (!lines) {
      lines = [];
      this.logs.set(key, lines);
    }
    lines.push(entry);
    if (lines.length > 5000) lines.splice(0, lines.length - 5000);
    for (const f of this.followers) if (f.key === key) f.res.write(this.format(entry, f.timestamps));
  }

  private format(line: LogLine, timestamps: boolean): string {
    return timestamps ? `${line.time} ${line.text}\n` : `${line.text}\n`;
  }

  private containerOf(pod: KubeObject, requested: string | null): string {
    const names = ((pod.spec as { containers?: { name: string }[] } | undefined)?.containers ?? []).map((c) => c.name);
    const podName = pod.metadata.name;
    if (!requested) {
      if (names.length === 1) return names[0];
      throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]`);
    }
    if (!names.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${podName}`);
    return requested;
  }

  serveLog(request: SubresourceRequest, res: ServerResponse): void {
    try {
      const { pod, url, namespace } = request;
      const container = this.containerOf(pod, url.searchParams.get('container'));
      const statuses = ((pod.status as { containerStatuses?: ContainerStatus[] } | undefined)?.containerStatuses ?? []);
      const status = statuses.find((s) => s.name === container);
      const previous = url.searchParams.get('previous') === 'true';
      if (previous && !(status?.restartCount && status.restartCount > 0)) {
        throw badRequest(`previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
      }
      const waiting = status?.state?.waiting?.reason;
      if (!status || (waiting && !(status.restartCount && status.restartCount > 0))) {
        throw badRequest(`container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${waiting ?? 'ContainerCreating'}`);
      }
      const timestamps = url.searchParams.get('timestamps') === 'true';
      const key = `${namespace}/${pod.metadata.name}/${container}`;
      let lines = this.logs.get(key) ?? [];
      const since = Number(url.searchParams.get('sinceSeconds') ?? 0);
      if (since > 0) lines = lines.filter((l) => l.ms >= Date.now() - since * 1000);
      const tail = url.searchParams.get('tailLines');
      if (tail !== null && Number(tail) >= 0) lines = lines.slice(Math.max(0, lines.length - Number(tail)));
      let text = lines.map((l) => this.format(l, timestamps)).join('');
      const limit = Number(url.searchParams.get('limitBytes') ?? 0);
      if (limit > 0) text = text.slice(0, limit);
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
      if (url.searchParams.get('follow') !== 'true' || previous) {
        res.end(text);
        return;
      }
      res.write(text);
      const follower: Follower = { key, res, timestamps };
      this.followers.add(follower);
      res.on('close', () => this.followers.delete(follower));
    } catch (err) {
      writeError(res, err, () => {});
    }
  }

  servePortForward(request: SubresourceRequest, socket: Duplex): void {
    const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `pod ${request.pod.metadata.name} runs no process in this simulator, so nothing can be port-forwarded`, reason: 'BadRequest', code: 400 });
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }

  cutPortForwards(): void {}

  dispose(): void {
    for (const f of this.followers) f.res.end();
    this.followers.clear();
    this.logs.clear();
  }
}
