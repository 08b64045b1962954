/**
 * What both local ends of a preview share — the raw listener (preview.ts) and the header-routing
 * proxy (baggageProxy.ts): a server on 127.0.0.1, the URL it gives, the entry Service behind it.
 */
import type { AddressInfo, Server } from 'node:net';
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
}
