/**
 * What the cluster-facing tests run against, read from the environment:
 *
 *   TETHER_TEST_KUBECONFIG   a kubeconfig of a real cluster; unset: the in-process simulator
 *   TETHER_TEST_CONTEXT      its context (default: the kubeconfig's current context)
 *   TETHER_TEST_RELAY_IMAGE  an image with `node` on its PATH for relay and script pods
 *   TETHER_TEST_HTTP_IMAGE   an image that serves HTTP, for test workloads on real clusters
 */
export interface ClusterSettings {
  kubeconfig?: string;
  context?: string;
  images: TestImages;
}

export interface TestImages {
  /** Runs the relay agent and the tests' ConfigMap scripts (`node <script>`). */
  relay: string;
  /** Serves HTTP on port 80 on a real cluster; on the simulator, script pods stand in for it. */
  http: string;
}

export const defaultRelayImage = 'node:22-alpine';
export const defaultHttpImage = 'nginxinc/nginx-unprivileged:stable-alpine';

export function clusterSettings(env: NodeJS.ProcessEnv = process.env): ClusterSettings {
  const kubeconfig = env.TETHER_TEST_KUBECONFIG?.trim() || undefined;
  return {
    kubeconfig,
    context: kubeconfig ? env.TETHER_TEST_CONTEXT?.trim() || undefined : undefined,
    images: {
      relay: env.TETHER_TEST_RELAY_IMAGE?.trim() || defaultRelayImage,
      http: env.TETHER_TEST_HTTP_IMAGE?.trim() || defaultHttpImage,
    },
  };
}
