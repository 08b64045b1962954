/**
 * Sandbox `local` forks give their workload's environment to new integrated terminals and debug
 * sessions, through the tunnel feature's TunnelEnvironment (the one owner of the collection): when
 * a fork's tunnel connects its environment is fetched once and handed over; it stays while the
 * tunnel reconnects, and is taken back when the tunnel or the sandbox stops here. With a plain tunnel running too, the one started last
 * wins and the terminal's environment description says so.
 */
import type * as vscode from 'vscode';
import type { Logger } from '../../kube/logger';
import { forkEnvironment, forkEnvironmentTargets, type ForkEnvironmentTarget } from '../../sandbox/forks/forkEnvironment';
import type { PreviewLoop } from '../../sandbox/preview/previewLoop';
import type { TunnelSession } from '../../tunnel/session';
import type { TunnelEnvironment } from '../tunnel/tunnelEnvironment';

export class SandboxEnvironment implements vscode.Disposable {
  /** Fork key -> the tunnel session its environment was fetched through (a new session fetches again). */
  private readonly applied = new Map<string, TunnelSession>();
  private readonly fetching = new Map<string, AbortController>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly loop: PreviewLoop,
    private readonly environment: TunnelEnvironment,
    private readonly logger: Logger,
    private readonly reportBackground: (err: unknown) => void,
  ) {
    this.subscription = loop.onDidChange(() => this.sync());
    this.sync();
  }

  private sync(): void {
    const targets = new Map(forkEnvironmentTargets(this.loop.all).map((t) => [t.source.key, t]));
    for (const [key, session] of [...this.applied]) {
      if (targets.get(key)?.tunnel.session === session) continue;
      this.applied.delete(key);
      this.environment.clear(key);
    }
    for (const [key, controller] of [...this.fetching]) {
      if (targets.has(key)) continue;
      controller.abort();
      this.fetching.delete(key);
    }
    for (const [key, target] of targets) {
      if (target.connected && !this.applied.has(key) && !this.fetching.has(key)) void this.fetch(target);
    }
  }

  private async fetch(target: ForkEnvironmentTarget): Promise<void> {
    const { key } = target.source;
    const controller = new AbortController();
    this.fetching.set(key, controller);
    try {
      const env = await forkEnvironment(target, controller.signal);
      if (controller.signal.aborted) return;
      this.applied.set(key, target.tunnel.session);
      this.environment.apply(target.source, env);
      // Names and counts only: values (some from Secrets) never reach the log.
      this.logger.info(`Environment of ${target.source.label}: ${Object.keys(env.variables).length} variables (${env.secretVariables.length} from Secrets) for new terminals${env.problems.length ? `; not set: ${env.problems.join('; ')}` : ''}`);
    } catch (err) {
      if (!controller.signal.aborted) this.reportBackground(err);
    } finally {
      if (this.fetching.get(key) === controller) this.fetching.delete(key);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    for (const controller of this.fetching.values()) controller.abort();
    this.fetching.clear();
    for (const key of this.applied.keys()) this.environment.clear(key);
    this.applied.clear();
  }
}
