/**
 * The streams one side of a Mux opened that the peer has not answered yet: each one's promise,
 * its deadline and its abort signal. The Mux settles them as accept, refuse or reset frames
 * arrive, or all at once when the tunnel goes away.
 */
import type { Clock } from '../kube/clock';
import { describeTarget } from './protocol';
import type { MuxStream } from './muxStream';

interface Pending {
  stream: MuxStream;
  resolve(stream: MuxStream): void;
  reject(error: Error): void;
  cleanup(): void;
}

export class PendingOpens {
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly timeoutMs: number,
    private readonly clock: Clock,
  ) {}

  /**
   * The answer to `stream`'s open. At the deadline or on abort, `fail` runs first (it resets the
   * stream) and the promise rejects with the same error.
   */
  wait(stream: MuxStream, signal: AbortSignal | undefined, fail: (error: Error, reason: string) => void): Promise<MuxStream> {
    return new Promise<MuxStream>((resolve, reject) => {
      const give = (error: Error, reason: string) => {
        this.pending.get(stream.id)?.cleanup();
        fail(error, reason);
        reject(error);
      };
      const timer = this.clock.setTimeout(
        () =>
          give(
            new Error(`Opening a stream to ${describeTarget(stream.target)} timed out after ${this.timeoutMs} ms: the relay did not answer. The tunnel may be overloaded or the target slow to connect; try again.`),
            'open timed out',
          ),
        this.timeoutMs,
      );
      const onAbort = () => give(abortError(signal!), 'open cancelled');
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(stream.id, {
        stream,
        resolve,
        reject,
        cleanup: () => {
          this.clock.clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          this.pending.delete(stream.id);
        },
      });
    });
  }

  /** The stream waiting for an answer under `id`, if any. */
  get(id: number): MuxStream | undefined {
    return this.pending.get(id)?.stream;
  }

  /** Settles the open of `id`: accepted (no error) or failed. False when nothing waited. */
  settle(id: number, error?: Error): boolean {
    const pending = this.pending.get(id);
    if (!pending) return false;
    pending.cleanup();
    if (error) pending.reject(error);
    else pending.resolve(pending.stream);
    return true;
  }

  /** Fails every open still waiting; returns their streams. */
  failAll(error: Error): MuxStream[] {
    const streams: MuxStream[] = [];
    for (const id of [...this.pending.keys()]) {
      const stream = this.pending.get(id)!.stream;
      this.settle(id, error);
      streams.push(stream);
    }
    return streams;
  }
}

export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException('The operation was aborted', 'AbortError');
}
