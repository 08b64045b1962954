/**
 * How the local end of a preview (the raw listener, the header-routing proxy) reaches the entry
 * Service: through the sandbox's agent on the editor's one connection to it (agentDialer.ts), or,
 * only where no agent can run, through a port-forward of its own per connection (entryDialer.ts).
 */
import type { Duplex } from 'node:stream';
import type { ExplainedError } from '../../kube/errors';
import type { TunnelSession } from '../../tunnel/session';
import type { PreviewEntry } from './previewTarget';

export interface EntryConnection {
  /** Writable at once; what is written before `ready` goes out with the open. */
  stream: Duplex;
  /** Settles once the connection reached the entry; rejects with why not (the stream fails too). */
  ready: Promise<void>;
}

export interface EntryConnector {
  readonly entry: PreviewEntry;
  /** The agent's session connections ride, or undefined for a port-forward per connection. */
  readonly via: TunnelSession | undefined;
  /** One connection to the entry; the caller owns the stream. */
  connect(signal: AbortSignal): Promise<EntryConnection>;
  /**
   * Why a connection failed, explained: the entry's unready pods when that is the cause. Undefined
   * when nothing more can be said than the failure itself (a reset from a healthy entry, which the
   * caller may know more about, such as a local process that is not listening).
   */
  explain(err: unknown): Promise<ExplainedError | undefined>;
  /** A connection broke after it started: look the target up again next time. */
  forget(): void;
}
