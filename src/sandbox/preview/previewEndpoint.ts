/**
 * The local end of a preview, whichever routing the spec asks for: the raw listener (preview.ts)
 * for `namespace` routing, the baggage proxy (baggageProxy.ts) for `header` routing, each with the
 * connector that carries its connections (entryConnector.ts). The loop and the running sandbox only
 * use what both have.
 */
import type { KubeClient } from '../../kube/api';
import type { ExplainedError } from '../../kube/errors';
import type { Disposable } from '../../lifecycle';
import type { TunnelSession } from '../../tunnel/session';
import { BaggageProxy } from './baggageProxy';
import type { EntryConnector } from './entryConnector';
import type { HealthOptions, HealthResult } from '../lifecycle/health';
import { PreviewListener } from './preview';
import { headerRoutingInfo, type HeaderRoutingInfo } from './previewRouting';
import type { PreviewEntry } from './previewTarget';
import type { PreviewRouting } from '../spec';

export interface PreviewEndpoint extends Disposable {
  readonly url: string;
  readonly port: number;
  readonly path: string;
  readonly entry: PreviewEntry;
  readonly isOpen: boolean;
  /** How its connections reach the entry. */
  readonly connector: EntryConnector;
  /** Why the last connection could not be carried; cleared by the next one that was. */
  readonly lastProblem: ExplainedError | undefined;
  /** Each connection that could not be carried or was cut, explained, as it happens. */
  readonly onProblem: (listener: (problem: ExplainedError) => void) => Disposable;
  check(options?: HealthOptions): Promise<HealthResult>;
  explain(result: Extract<HealthResult, { ok: false }>): ExplainedError;
}

export interface PreviewEndpointOptions {
  client: KubeClient;
  routing: PreviewRouting;
  entry: PreviewEntry;
  /** The sandbox's name: the baggage value in `header` routing. */
  sandbox: string;
  path: string;
  localPort?: number;
  /** Through the sandbox's agent (agentDialer.ts); default a port-forward per connection. */
  connector?: EntryConnector;
}

export function openPreviewEndpoint(options: PreviewEndpointOptions): Promise<PreviewEndpoint> {
  const { client, entry, path, localPort, connector } = options;
  return options.routing === 'header' ? BaggageProxy.open({ client, entry, path, localPort, connector, sandbox: options.sandbox }) : PreviewListener.open({ client, entry, path, localPort, connector });
}

/**
 * Whether `endpoint` already serves what `options` asks for, through the agent session `via`
 * (undefined: port-forwards), so it (and its URL) can stay.
 */
export function endpointServes(endpoint: PreviewEndpoint | undefined, options: Omit<PreviewEndpointOptions, 'client' | 'localPort' | 'connector'>, via: TunnelSession | undefined): boolean {
  if (!endpoint?.isOpen || endpoint.path !== options.path || JSON.stringify(endpoint.entry) !== JSON.stringify(options.entry)) return false;
  if (endpoint.connector.via !== via) return false;
  if (options.routing === 'header') return endpoint instanceof BaggageProxy && endpoint.sandbox === options.sandbox;
  return endpoint instanceof PreviewListener;
}

/** What a header-routed endpoint adds to each request; undefined for the raw listener. */
export function endpointRouting(endpoint: PreviewEndpoint): HeaderRoutingInfo | undefined {
  return endpoint instanceof BaggageProxy ? headerRoutingInfo(endpoint.sandbox, endpoint.entry, endpoint.url) : undefined;
}
