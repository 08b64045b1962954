/**
 * What passes between a process pod's preloads and the runtime: netns-preload.cjs (network
 * namespace emulation) and mounts-preload.cjs (volume paths). The preloads are plain CommonJS and
 * mirror these shapes; keep them in step.
 */

/** Environment variables the runtime sets for the preloads (they remove them from process.env). */
export const preloadEnv = {
  /** File descriptor of the report pipe (JSON lines, preload -> runtime). */
  reportFd: 'TETHER_SIM_NETNS_FD',
  /** Unix socket of the runtime's dial proxy. */
  dialSocket: 'TETHER_SIM_DIAL_SOCKET',
  namespace: 'TETHER_SIM_POD_NAMESPACE',
  pod: 'TETHER_SIM_POD_NAME',
  /** Comma-separated `host:port` dials that leave the pod untouched (the API server). */
  passthrough: 'TETHER_SIM_PASSTHROUGH',
  /** JSON MountSettings for mounts-preload.cjs. */
  mounts: 'TETHER_SIM_MOUNTS',
} as const;

export interface MountSettings {
  /** The pod's host folder: paths inside it are never remapped. */
  root: string;
  /** [containerPath, hostPath] per volume mount, longest container path first. */
  mounts: [string, string][];
}

/** The report pipe's descriptor in the child (stdio index). */
export const reportFd = 3;

/** Preload -> runtime, one JSON object per line on the report pipe. */
export type NetnsReport =
  /** A server asked for containerPort on `host` ('' = all addresses) and really listens on 127.0.0.1:port. */
  | { type: 'listen'; containerPort: number; port: number; host: string }
  | { type: 'unlisten'; containerPort: number };

/** Preload -> dial proxy: the first line of every proxied connection, then raw bytes both ways. */
export interface DialRequest {
  namespace: string;
  pod: string;
  /** The host the program dialed: a Service name or a loopback address. */
  host: string;
  port: number;
}

export function parseReport(line: string): NetnsReport | undefined {
  try {
    const value = JSON.parse(line) as Partial<NetnsReport>;
    if (value.type === 'listen' && Number.isInteger(value.containerPort) && Number.isInteger(value.port) && typeof value.host === 'string') {
      return value as NetnsReport;
    }
    if (value.type === 'unlisten' && Number.isInteger(value.containerPort)) return value as NetnsReport;
  } catch {
    // not a report
  }
  return undefined;
}

export function parseDialRequest(line: string): DialRequest | undefined {
  try {
    const value = JSON.parse(line) as Partial<DialRequest>;
    if (typeof value.namespace === 'string' && typeof value.pod === 'string' && typeof value.host === 'string' && Number.isInteger(value.port)) {
      return value as DialRequest;
    }
  } catch {
    // not a request
  }
  return undefined;
}
