/**
 * The emulated network namespace of one process pod: which container ports are listened on, where
 * they really are on the machine's loopback, and whether they are reachable from the cluster.
 */

export interface PodPortTarget {
  host: string;
  port: number;
  /** The program bound a loopback address: only port-forward (the kubelet, inside the pod) reaches it. */
  podLocalOnly: boolean;
}

const loopback = new Set(['127.0.0.1', 'localhost', '::1', '::ffff:127.0.0.1']);

export class PodNetwork {
  private readonly ports = new Map<number, PodPortTarget & { container: string }>();

  /** Records a listen reported by a container's preload. Returns true when it is new. */
  listen(container: string, containerPort: number, realPort: number, requestedHost: string): boolean {
    const isNew = !this.ports.has(containerPort);
    this.ports.set(containerPort, { host: '127.0.0.1', port: realPort, podLocalOnly: loopback.has(requestedHost.toLowerCase()), container });
    return isNew;
  }

  unlisten(containerPort: number): void {
    this.ports.delete(containerPort);
  }

  /** The container stopped: its sockets closed with it. */
  clearContainer(container: string): void {
    for (const [port, target] of this.ports) if (target.container === container) this.ports.delete(port);
  }

  resolve(containerPort: number): PodPortTarget | undefined {
    const target = this.ports.get(containerPort);
    return target && { host: target.host, port: target.port, podLocalOnly: target.podLocalOnly };
  }
}
