/**
 * client-node's KubeConfig, loaded on first use. Its module graph (generated models, fetch, auth
 * providers) is most of the extension's bundle; requiring it here, inside a function, lets the
 * bundler defer evaluating it until a kubeconfig is actually read, so activation never pays for it.
 */
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';

type ConfigModule = typeof import('@kubernetes/client-node/dist/config.js');

export function newKubeConfig(): KubeConfig {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { KubeConfig: KubeConfigClass } = require('@kubernetes/client-node/dist/config.js') as ConfigModule;
  return new KubeConfigClass();
}
