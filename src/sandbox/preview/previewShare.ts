/**
 * The shareable preview as the user sees it: the host's URL and the signed link to hand out, and
 * the Gateway API check that turns a cluster without it into a plain explanation before anything
 * is applied.
 */
import type { KubeClient } from '../../kube/api';
import { ExplainedError } from '../../kube/errors';
import type { PreviewHostSettings } from './previewHost';
import { previewKeyFromText, signPreviewToken, signedPreviewLink } from './previewToken';

export interface SharedPreview {
  /** The host's URL without a token: it answers 401 until a visitor opened the link once. */
  url: string;
  /** The URL with a signed token, valid until `expiresAt`: what the user shares. */
  link: string;
  /** ISO time the link stops working. */
  expiresAt: string;
}

/** The URL and a freshly signed link for the sandbox's host (`origin` is scheme and host). */
export function sharedPreview(settings: PreviewHostSettings, sandbox: string, origin: string, path: string, key: string, nowMs: number): SharedPreview {
  const url = `${origin}${path.startsWith('/') ? path : `/${path}`}`;
  const expires = nowMs + settings.linkTtlHours * 3600_000;
  const token = signPreviewToken(previewKeyFromText(key), sandbox, expires);
  return { url, link: signedPreviewLink(url, token), expiresAt: new Date(Math.floor(expires / 1000) * 1000).toISOString() };
}

/** Throws a plain explanation when `settings` name a Gateway but the cluster does not serve the Gateway API. */
export async function assertGatewayApi(client: KubeClient, settings: PreviewHostSettings, signal?: AbortSignal): Promise<void> {
  if (!settings.gateway) return;
  try {
    await client.request<unknown>({ what: 'Look up the Gateway API (gateway.networking.k8s.io/v1)', method: 'GET', path: '/apis/gateway.networking.k8s.io/v1', signal });
  } catch (err) {
    if (!(err instanceof ExplainedError && err.reason === 'NotFound')) throw err;
    throw new ExplainedError({
      reason: 'NotFound',
      what: `Route the shareable preview host through Gateway "${settings.gateway.namespace}/${settings.gateway.name}"`,
      why: 'this cluster does not serve the Gateway API (gateway.networking.k8s.io/v1): its CRDs are not installed',
      remedy: 'Ask a cluster admin to install the Gateway API and a Gateway for your preview domain, or clear the gateway setting to use an Ingress instead',
      step: { code: 'changeSetting', setting: 'preview.gateway', value: '' },
      status: 404,
    });
  }
}
