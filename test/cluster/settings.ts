/**
 * What the cluster-facing tests run against, read from the environment:
 *
 *   TETHER_TEST_KUBECONFIG   a kubeconfig of a real cluster; unset: the in-process simulator
 *   TETHER_TEST_CONTEXT      its context (default: the kubeconfig's current context)
 *   TETHER_TEST_RELAY_IMAGE  an image with `node` on its PATH for relay and script pods
 *   TETHER_TEST_HTTP_IMAGE   an image that serves HTTP, for test workloads on real clusters
 *   TETHER_TEST_HTTP_PORT    the port it serves on
 */
export interface ClusterSettings {
  kubeconfig?: string;
  context?: string;
  images: TestImages;
}

export interface TestImages {
  /** Runs the relay agent and the tests' ConfigMap scripts (`node <script>`). */
  relay: string;
  /** Serves HTTP on `httpPort` on a real cluster; on the simulator, script pods or simulated ones stand in for it. */
  http: string;
  /** The container port the HTTP image listens on. */
  httpPort: number;
}

export const defaultRelayImage = 'node:22-alpine';
export const defaultHttpImage = 'nginxinc/nginx-unprivileged:stable-alpine';
/** nginx-unprivileged listens on 8080: it runs as non-root, which may not bind port 80. */
export const defaultHttpPort = 8080;

function port(value: string | undefined, fallback: number): number {
  if (!value?.trim()) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`TETHER_TEST_HTTP_PORT must be a port number, got "${value}"`);
  return n;
}

export function clusterSettings(env: NodeJS.ProcessEnv = process.env): ClusterSettings {
  const kubeconfig = env.TETHER_TEST_KUBECONFIG?.trim() || undefined;
  return {
    kubeconfig,
    context: kubeconfig ? env.TETHER_TEST_CONTEXT?.trim() || undefined : undefined,
    images: {
      relay: env.TETHER_TEST_RELAY_IMAGE?.trim() || defaultRelayImage,
      http: env.TETHER_TEST_HTTP_IMAGE?.trim() || defaultHttpImage,
      httpPort: port(env.TETHER_TEST_HTTP_PORT, defaultHttpPort),
    },
  };
}
