/**
 * What one `tether mcp` server holds while an agent is connected: the engine as front door "mcp",
 * its workspace, one client per context, and one PreviewLoop, so previews stay up (their tunnels
 * and local URLs) between tool calls. Closing it releases the sandboxes it runs and stops them here.
 */
import { resolve } from 'node:path';
import type { EngineDeps } from '../../engine/engine';
import { nodeHost, type EngineHost } from '../../engine/host';
import { bundlesIn } from '../../engine/bundles';
import { diskWorkspace, type Workspace } from '../../engine/workspace';
import { KubeClient } from '../../kube/api';
import { loadKubeconfig, type LoadedKubeconfig } from '../../kube/config';
import { ExplainedError } from '../../kube/errors';
import type { Disposable } from '../../lifecycle';
import { PreviewLoop } from '../../sandbox/preview/previewLoop';
import { cliSettings, kubeconfigEnv, stderrLogger } from '../cliRun';
import type { CliIo } from '../io';

export interface McpSessionOptions {
  /** The workspace folder (default: the working folder). */
  workspace?: string;
  context?: string;
  kubeconfig?: string;
  verbose?: boolean;
  host?: EngineHost;
}

export class McpSession implements Disposable {
  readonly engine: EngineDeps;
  readonly workspace: Workspace;
  readonly loop: PreviewLoop;
  private readonly clients = new Map<string, KubeClient>();
  private loaded?: LoadedKubeconfig;

  constructor(
    private readonly io: CliIo,
    private readonly options: McpSessionOptions,
  ) {
    const settings = cliSettings(io.env, options);
    this.engine = { host: options.host ?? nodeHost('mcp'), settings: () => settings, bundles: bundlesIn(io.distDir), logger: stderrLogger(io, Boolean(options.verbose)) };
    this.workspace = diskWorkspace({ folder: resolve(io.cwd, options.workspace ?? '.') });
    this.loop = new PreviewLoop({ openClient: (context) => KubeClient.forContext(this.kubeconfig(), context, this.engine.logger), logger: this.engine.logger, clock: this.engine.host.clock });
  }

  kubeconfig(): LoadedKubeconfig {
    if (this.loaded) return this.loaded;
    this.loaded = loadKubeconfig(kubeconfigEnv(this.engine.settings().kubeconfig, this.io.env, this.io.cwd));
    return this.loaded;
  }

  /** The context a call names, else --context, TETHER_CONTEXT, the kubeconfig's current one. */
  context(asked?: string): string {
    const context = asked || this.options.context || this.io.env.TETHER_CONTEXT || this.kubeconfig().currentContext;
    if (!context) throw new ExplainedError({ reason: 'UnknownContext', what: 'Choose the cluster', why: 'the kubeconfig names no current context', remedy: '', step: { code: 'selectContext' } });
    return context;
  }

  client(context: string): KubeClient {
    let client = this.clients.get(context);
    if (!client) {
      client = KubeClient.forContext(this.kubeconfig(), context, this.engine.logger);
      this.clients.set(context, client);
    }
    return client;
  }

  /** Gives up the sandboxes this server runs (another front door may then run them at once). */
  async close(): Promise<void> {
    await this.loop.releaseAll();
    this.dispose();
  }

  dispose(): void {
    this.loop.dispose();
    for (const c of this.clients.values()) c.dispose();
    this.clients.clear();
  }
}
