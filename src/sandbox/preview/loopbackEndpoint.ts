/**
 * What both local ends of a preview share — the raw listener (preview.ts) and the header-routing
 * proxy (baggageProxy.ts): a server on 127.0.0.1, the URL it gives, the entry Service behind it,
 * and what went wrong with its connections.
 */
import type { AddressInfo, Server } from 'node:net';
import type { ExplainedError } from '../../kube/errors';
import { Emitter } from '../../lifecycle';
import type { PreviewEntry } from './previewTarget';

export interface LoopbackEndpointOptions {
  /** The Service connections enter through. */
  entry: PreviewEntry;
  /** Path the URL opens and the health check asks for (default "/"). */
  path?: string;
  /** Local port to listen on (default 0: a free one). */
  localPort?: number;
}

export abstract class LoopbackEndpoint<O extends LoopbackEndpointOptions, S extends Server = Server> {
  protected disposed = false;
  private problem: ExplainedError | undefined;
  private readonly problems = new Emitter<ExplainedError>();

  /** Each connection that could not be carried or was cut, explained, as it happens. */
  readonly onProblem = this.problems.event;

  protected constructor(
    protected readonly server: S,
    protected readonly options: O,
  ) {}

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}${this.path}`;
  }

  get path(): string {
    return this.options.path ?? '/';
  }

  get entry(): PreviewEntry {
    return this.options.entry;
  }

  get isOpen(): boolean {
    return !this.disposed && this.server.listening;
  }

  /** Why the last connection could not be carried; cleared by the next one that was. */
  get lastProblem(): ExplainedError | undefined {
    return this.problem;
  }

  protected report(problem: ExplainedError | undefined): void {
    if (!problem) return;
    this.problem = problem;
    this.problems.fire(problem);
  }

  protected clearProblem(): void {
    this.problem = undefined;
  }

  /** Stops telling of problems; subclasses call it when they are disposed. */
  protected closeProblems(): void {
    this.problems.dispose();
  }
}
