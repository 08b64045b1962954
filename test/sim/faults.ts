/**
 * Fault injection: dropped watches, forced 410s, latency, 503s, cut port-forwards and a server
 * outage. Driven from tests through `sim.faults` or from another process via `POST /__sim/faults`.
 */
import { serviceUnavailable, type ApiError } from './status';

export interface FaultCommand {
  /** Cut every open watch connection now. */
  dropWatches?: boolean;
  /** The next N watches and lists answer 410 Expired. */
  expireNext?: number;
  /**
   * Added before every answer, 0 clears it: REST answers, the answer to a port-forward upgrade,
   * and every message a port-forward carries from the pod back to the client. So one request and
   * its answer over an open port-forward cost it once, as over a link to a remote cluster.
   */
  latencyMs?: number;
  /** 503 for the next `count` requests (matching `pathPattern` when given); `count` omitted = until cleared. */
  serverErrors?: { count?: number; pathPattern?: string } | null;
  /** Cut every open port-forward connection. */
  cutPortForwards?: boolean;
  /** Close the listener and every socket, come back on the same port after this many ms. */
  outageMs?: number;
}

export interface FaultHooks {
  dropWatches(): void;
  cutPortForwards(): void;
  outage(ms: number): Promise<void>;
}

export class Faults {
  latencyMs = 0;
  private expireLeft = 0;
  private errorsLeft: number | 'always' = 0;
  private errorPattern: RegExp | undefined;

  constructor(private readonly hooks: FaultHooks) {}

  dropWatches(): void {
    this.hooks.dropWatches();
  }

  expireNext(count: number): void {
    this.expireLeft = count;
  }

  serverErrors(count: number | undefined, pathPattern?: string): void {
    this.errorsLeft = count ?? 'always';
    this.errorPattern = pathPattern ? new RegExp(pathPattern) : undefined;
  }

  clearServerErrors(): void {
    this.errorsLeft = 0;
    this.errorPattern = undefined;
  }

  cutPortForwards(): void {
    this.hooks.cutPortForwards();
  }

  outage(ms: number): Promise<void> {
    return this.hooks.outage(ms);
  }

  /** Consumes one forced 410 if any is pending. */
  takeExpired(): boolean {
    if (this.expireLeft <= 0) return false;
    this.expireLeft--;
    return true;
  }

  /** The 503 to answer this request with, if a server-error fault applies to `path`. */
  takeServerError(path: string): ApiError | undefined {
    if (this.errorsLeft === 0) return undefined;
    if (this.errorPattern && !this.errorPattern.test(path)) return undefined;
    if (this.errorsLeft !== 'always') this.errorsLeft--;
    return serviceUnavailable('the server is currently unable to handle the request (injected fault)', 1);
  }

  /** Applies a command; resolves when an outage (if any) has been scheduled. */
  apply(command: FaultCommand): void {
    if (command.latencyMs !== undefined) this.latencyMs = Math.max(0, command.latencyMs);
    if (command.expireNext !== undefined) this.expireNext(command.expireNext);
    if (command.serverErrors === null) this.clearServerErrors();
    else if (command.serverErrors) this.serverErrors(command.serverErrors.count, command.serverErrors.pathPattern);
    if (command.dropWatches) this.dropWatches();
    if (command.cutPortForwards) this.cutPortForwards();
    if (command.outageMs !== undefined && command.outageMs > 0) void this.outage(command.outageMs);
  }
}
