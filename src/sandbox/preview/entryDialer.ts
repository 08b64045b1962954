/**
 * Connections to a preview's entry Service through a `pods/portforward` each: the fallback where
 * the sandbox has no agent (entryConnector.ts). The target pod is resolved once and reused;
 * concurrent callers share one resolution. When a forward cannot be opened the target is resolved
 * again (the pod was replaced) and tried once more.
 */
import type { KubeClient } from '../../kube/api';
import { ExplainedError, isCancellation } from '../../kube/errors';
import { openPortForward, type PortForwardOptions, type PortForwardStream } from '../../kube/portforward';
import type { EntryConnection, EntryConnector } from './entryConnector';
import { resolvePreviewTarget, type PreviewEntry, type PreviewTarget } from './previewTarget';

export class EntryDialer implements EntryConnector {
  readonly via = undefined;

  private target: PreviewTarget | undefined;
  private resolving: Promise<PreviewTarget> | undefined;

  constructor(
    private readonly client: KubeClient,
    readonly entry: PreviewEntry,
    private readonly portForward?: PortForwardOptions,
  ) {}

  /** The pod connections currently go to, once one was resolved. */
  get currentTarget(): PreviewTarget | undefined {
    return this.target;
  }

  /** Resolves the entry afresh; throws the explanation (no ready pod and why). */
  resolve(signal?: AbortSignal): Promise<PreviewTarget> {
    this.target = undefined;
    return this.currentOrResolve(signal);
  }

  /** Forgets the target after a forward failed mid-way, so the next connection resolves again. */
  forget(): void {
    this.target = undefined;
  }

  private currentOrResolve(signal?: AbortSignal): Promise<PreviewTarget> {
    if (this.target) return Promise.resolve(this.target);
    this.resolving ??= resolvePreviewTarget(this.client, this.entry, signal).then(
      (target) => {
        this.resolving = undefined;
        this.target = target;
        return target;
      },
      (err: unknown) => {
        this.resolving = undefined;
        throw err;
      },
    );
    return this.resolving;
  }

  /** One forwarded connection to a ready pod behind the entry; the caller owns the stream. */
  async open(signal: AbortSignal): Promise<PortForwardStream> {
    const { client, entry } = this;
    const first = await this.currentOrResolve(signal);
    try {
      return await openPortForward(client, entry.namespace, first.pod, first.port, signal, this.portForward);
    } catch (err) {
      if (isCancellation(err)) throw err;
      // The pod may have been replaced: resolve again and try the new one once.
      if (this.target === first) this.target = undefined;
      const next = await this.currentOrResolve(signal);
      return openPortForward(client, entry.namespace, next.pod, next.port, signal, this.portForward);
    }
  }

  /** A forwarded connection: it is established once open resolves. */
  async connect(signal: AbortSignal): Promise<EntryConnection> {
    return { stream: await this.open(signal), ready: Promise.resolve() };
  }

  /** A failure of `open` as an ExplainedError (it usually is one already). */
  async explain(err: unknown): Promise<ExplainedError> {
    if (err instanceof ExplainedError) return err;
    return new ExplainedError({ reason: 'Unknown', what: `Forward a preview connection to Service "${this.entry.service}"`, why: err instanceof Error ? err.message : String(err), remedy: 'Try again; the Tether log has details' });
  }
}
