/**
 * The built-in pod runtime used when no process runtime is plugged in: it runs nothing itself,
 * keeps the simulated kubelet's log lines in memory, one log per container run, and serves
 * `pods/log` from them as the process runtime does (logRequest.ts). Port-forward is refused with a
 * clear error.
 */
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Disposable } from '../../src/lifecycle';
import type { KubeObject } from '../../src/kube/types';
import type { PodRuntime, SimCluster, SubresourceRequest } from './contracts';
import { serveLog } from './runtime/logRequest';
import { LogStore } from './runtime/logStore';

export class MemoryRuntime implements PodRuntime {
  private readonly logs = new LogStore();
  private readonly subscription: Disposable;

  constructor(private readonly cluster: SimCluster) {
    // A deleted pod's logs go with it (followers finish), as its containers' do on a node.
    this.subscription = cluster.onChange((event) => {
      if (event.kind === 'Pod' && event.type === 'DELETED') this.logs.removePod(event.object.metadata.namespace ?? 'default', event.object.metadata.name);
    });
  }

  claims(_pod: KubeObject): boolean {
    return false;
  }

  start(_pod: KubeObject): void {}

  stop(namespace: string, name: string): void {
    if (this.cluster.get('Pod', namespace, name)) this.logs.endPod(namespace, name);
    else this.logs.removePod(namespace, name);
  }

  beginLog(namespace: string, pod: string, container: string, containerID: string): void {
    this.logs.begin(namespace, pod, container, containerID);
  }

  appendLog(namespace: string, pod: string, container: string, line: string): void {
    this.logs.append(namespace, pod, container, line.endsWith('\n') ? line : `${line}\n`);
  }

  serveLog(request: SubresourceRequest, res: ServerResponse): void {
    serveLog(this.logs, request, res);
  }

  servePortForward(request: SubresourceRequest, socket: Duplex): void {
    const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `pod ${request.pod.metadata.name} runs no process in this simulator, so nothing can be port-forwarded`, reason: 'BadRequest', code: 400 });
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }

  cutPortForwards(): void {}

  dispose(): void {
    this.subscription.dispose();
    this.logs.dispose();
  }
}
