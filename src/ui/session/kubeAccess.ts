/**
 * The heavy half of cluster access, loaded on first use (not during activation): the kubeconfig,
 * one KubeClient per context, and the WatchHub that shares watches between views. Owns all of
 * them; a kubeconfig reload disposes this and builds a new one.
 */
import { KubeClient } from '../../kube/api';
import { loadKubeconfig, type KubeconfigLookup, type LoadedKubeconfig } from '../../kube/config';
import { WatchHub } from '../../kube/hub';
import type { Logger } from '../../kube/logger';
import type { ClusterAccess } from './explorer';

export class KubeAccess implements ClusterAccess {
  private readonly clients = new Map<string, KubeClient>();
  readonly hub: WatchHub;

  private constructor(
    readonly config: LoadedKubeconfig,
    private readonly logger: Logger,
  ) {
    this.hub = new WatchHub((context) => this.client(context), logger);
  }

  /** Reads the kubeconfig; throws ExplainedError NoKubeconfig or InvalidKubeconfig. */
  static load(lookup: KubeconfigLookup, logger: Logger): KubeAccess {
    return new KubeAccess(loadKubeconfig(lookup.env, lookup.origin), logger);
  }

  client(context: string): KubeClient {
    let client = this.clients.get(context);
    if (!client) {
      client = KubeClient.forContext(this.config, context, this.logger);
      this.clients.set(context, client);
    }
    return client;
  }

  dispose(): void {
    this.hub.dispose();
    for (const client of this.clients.values()) client.dispose();
    this.clients.clear();
  }
}
