/**
 * Preview connections through the sandbox's agent: each one is a stream on the editor's one
 * port-forward to the agent (a TunnelSession), which the agent dials to the entry Service inside
 * the cluster. No new WebSocket per connection, and the request goes out with the open, so a new
 * connection costs one round trip to the cluster. While the agent is not reachable (starting,
 * replaced) a connection waits for the reconnect up to its deadline, then fails with the reason.
 * Where the agent cannot start at all and nothing else needs it (no local fork), connections fall
 * back to a port-forward each, and the log says so.
 */
import type { KubeClient } from '../../kube/api';
import { ExplainedError, isCancellation } from '../../kube/errors';
import { kinds } from '../../kube/kinds';
import { silentLogger, type Logger } from '../../kube/logger';
import type { KubeObject } from '../../kube/types';
import { StreamClosedError } from '../../tunnel/mux';
import { TunnelUnavailableError, type TunnelSession } from '../../tunnel/session';
import type { EntryConnection, EntryConnector } from './entryConnector';
import type { EntryDialer } from './entryDialer';
import { resolvePreviewTarget, type PreviewEntry } from './previewTarget';

/** How long a preview connection waits for an agent that is not reachable, by default. */
export const defaultAgentWaitMs = 15_000;

export interface AgentDialerOptions {
  session: TunnelSession;
  client: KubeClient;
  entry: PreviewEntry;
  /** How long a connection waits for an agent that is not reachable (default 15 s). */
  waitMs?: number;
  /** Port-forwards per connection while the agent cannot start; only when no local fork needs the agent. */
  fallback?: EntryDialer;
  logger?: Logger;
}

interface Address {
  host: string;
  port: number;
}

export class AgentDialer implements EntryConnector {
  private address: Promise<Address> | undefined;
  private diagnosing: Promise<ExplainedError | undefined> | undefined;
  private fallingBack = false;
  private readonly logger: Logger;

  constructor(private readonly options: AgentDialerOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  get via(): TunnelSession {
    return this.options.session;
  }

  get entry(): PreviewEntry {
    return this.options.entry;
  }

  async connect(signal: AbortSignal): Promise<EntryConnection> {
    const { session, fallback } = this.options;
    if (this.fallbackNow()) return fallback!.connect(signal);
    const { host, port } = await this.resolveAddress(signal);
    const open = async (wait: AbortSignal): Promise<EntryConnection> => {
      const { stream, accepted } = await session.openStream(host, port, wait, this.options.waitMs ?? defaultAgentWaitMs);
      return { stream, ready: accepted.then(() => undefined) };
    };
    if (!fallback || session.state.phase === 'connected') return open(signal);
    // Waiting for the agent: stop as soon as its pod turns out unable to start.
    const stuck = new AbortController();
    const watch = session.onDidChangeState(() => {
      if (this.fallbackNow()) stuck.abort();
    });
    try {
      return await open(AbortSignal.any([signal, stuck.signal]));
    } catch (err) {
      if (stuck.signal.aborted && !signal.aborted) return fallback.connect(signal);
      throw err;
    } finally {
      watch.dispose();
    }
  }

  async explain(err: unknown): Promise<ExplainedError | undefined> {
    if (isCancellation(err)) return undefined;
    if (err instanceof ExplainedError) return err;
    const { service } = this.options.entry;
    if (err instanceof TunnelUnavailableError) {
      return new ExplainedError({
        reason: 'Unreachable',
        what: `Reach Service "${service}" through the sandbox's agent`,
        why: `the agent is not reachable: ${err.message}`,
        remedy: err.reason?.remedy ?? 'Tether reconnects by itself; the sandbox\'s status shows its agent pod',
      });
    }
    if (err instanceof StreamClosedError && err.code === 'TUNNEL_CLOSED') {
      const state = this.options.session.state;
      return new ExplainedError({
        reason: 'Unreachable',
        what: `Reach Service "${service}" through the sandbox's agent`,
        why: `the connection to the agent dropped before the answer (${state.phase === 'reconnecting' ? state.reason.message : err.message.replace(/\.$/, '')})`,
        remedy: 'Tether reconnects by itself; load the page again',
      });
    }
    // The agent could not connect, or the connection broke before an answer: are the entry's pods ready?
    const diagnosis = await this.diagnose();
    if (diagnosis) return diagnosis;
    if (err instanceof StreamClosedError && err.code === 'REFUSED') {
      return new ExplainedError({
        reason: 'Unreachable',
        what: `Connect to Service "${service}" from the sandbox's agent`,
        why: err.message,
        remedy: 'Check the Service\'s port, and any NetworkPolicy that keeps the sandbox\'s agent from reaching it',
      });
    }
    return undefined;
  }

  forget(): void {
    this.address = undefined;
    this.options.fallback?.forget();
  }

  /** The fallback while the agent cannot start by itself (its pod is stuck), said once each way. */
  private fallbackNow(): EntryDialer | undefined {
    const { session, fallback } = this.options;
    const state = session.state;
    const stuck = Boolean(fallback) && state.phase === 'reconnecting' && state.reason.needsUser;
    if (stuck && !this.fallingBack && state.phase === 'reconnecting') {
      this.logger.warn(`[preview] The sandbox's agent cannot run (${state.reason.message}); until it does, each preview connection to Service "${this.options.entry.service}" opens a port-forward of its own.`);
    } else if (!stuck && this.fallingBack) {
      this.logger.info(`[preview] Preview connections to Service "${this.options.entry.service}" go through the sandbox's agent again.`);
    }
    this.fallingBack = stuck;
    return stuck ? fallback : undefined;
  }

  /** The Service's address inside the cluster: its DNS name and the preview's port (its first when none is given). */
  private resolveAddress(signal: AbortSignal): Promise<Address> {
    const { entry, client } = this.options;
    const host = `${entry.service}.${entry.namespace}.svc`;
    if (entry.port !== undefined) return Promise.resolve({ host, port: entry.port });
    this.address ??= client.get<KubeObject>(kinds.Service, entry.namespace, entry.service, signal).then(
      (service) => {
        const port = (service.spec as { ports?: { port: number }[] } | undefined)?.ports?.[0]?.port;
        if (port === undefined) throw new ExplainedError({ reason: 'Invalid', what: `Open the preview through Service "${entry.service}" in namespace "${entry.namespace}"`, why: 'the Service has no ports', remedy: 'Fix preview.port in tether.yaml' });
        return { host, port };
      },
      (err: unknown) => {
        this.address = undefined;
        throw err;
      },
    );
    return this.address;
  }

  /** Why the entry cannot answer, from its Service and pods; undefined when they look fine. One lookup at a time. */
  private diagnose(): Promise<ExplainedError | undefined> {
    this.diagnosing ??= resolvePreviewTarget(this.options.client, this.options.entry)
      .then(
        () => undefined,
        (err: unknown) => (err instanceof ExplainedError ? err : undefined),
      )
      .finally(() => (this.diagnosing = undefined));
    return this.diagnosing;
  }
}
