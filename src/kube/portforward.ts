/**
 * pods/portforward over WebSocket (`v4.channel.k8s.io`): one WebSocket per forwarded TCP connection,
 * authenticated exactly like every other request of the KubeClient. Refused upgrades become
 * ExplainedErrors; a 403 names both verbs port-forwarding needs (`get` and, since Kubernetes 1.35,
 * `create` on pods/portforward).
 */
import WebSocket from 'ws';
import type { KubeClient } from './api';
import { ExplainedError } from './errors';
import { explainResponse, explainTransportError, type ExplainContext } from './explain';
import { PortForwardStream, type PortForwardStreamOptions } from './portforwardStream';
import { accessAdvice, grantStep } from './permissions/remedy';

export { PortForwardStream, explainForwardError, type PortForwardStreamOptions, type PortForwardTarget } from './portforwardStream';

export const portForwardProtocol = 'v4.channel.k8s.io';

export interface PortForwardOptions extends PortForwardStreamOptions {
  /** How long the upgrade may take (default 15 s). */
  connectTimeoutMs?: number;
}

function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
}

function readText(res: import('node:http').IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (text.length < 64 * 1024) text += chunk;
    });
    res.once('end', () => resolve(text));
    res.once('error', () => resolve(text));
    res.once('close', () => resolve(text));
  });
}

/** A refused upgrade, explained; 403 and 400 get remedies specific to port-forwarding. */
export function explainRefusedUpgrade(ctx: ExplainContext, namespace: string, pod: string, status: number, body: string): ExplainedError {
  const base = explainResponse(ctx, status, body);
  if (status === 403) {
    const advice = accessAdvice('tunnel', [
      { verb: 'get', resource: 'pods', subresource: 'portforward', namespace },
      { verb: 'create', resource: 'pods', subresource: 'portforward', namespace },
    ]);
    const [role] = advice.roles;
    const [rule] = role.rules;
    return new ExplainedError({
      reason: 'Forbidden',
      status,
      what: base.what,
      why: base.why,
      remedy:
        `Port-forwarding needs both get and create on pods/portforward (create since Kubernetes 1.35). Ask a cluster admin for Role "${role.name}" in namespace "${namespace}" ` +
        `with the rule {apiGroups: [""], resources: ["${rule.resources[0]}"], verbs: ["${rule.verbs.join('", "')}"]} bound to you ` +
        `(\`kubectl create role ${role.name} -n ${namespace} --verb=get,create --resource=pods/portforward\`)`,
      step: grantStep(advice),
      access: advice,
    });
  }
  if (status === 400) {
    return new ExplainedError({
      reason: 'Invalid',
      status,
      what: base.what,
      why: base.why,
      remedy: `Port-forwarding needs pod "${pod}" to be Running; wait for it to start (\`kubectl get pod ${pod} -n ${namespace}\`) or pick another pod`,
    });
  }
  return base;
}

/**
 * Opens one forwarded connection to `port` of `pod`. Resolves once the WebSocket is open; the
 * caller owns the returned stream and destroys it. `signal` cancels the opening only.
 */
export async function openPortForward(
  client: KubeClient,
  namespace: string,
  pod: string,
  port: number,
  signal?: AbortSignal,
  options: PortForwardOptions = {},
): Promise<PortForwardStream> {
  const what = `Port-forward to port ${port} of pod "${pod}" in namespace "${namespace}"`;
  const upgrade = await client.upgradeRequest({
    what,
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/portforward`,
    query: { ports: port },
  });
  const ctx = upgrade.explain;
  if (signal?.aborted) throw explainTransportError(ctx, abortError());
  const url = new URL(upgrade.url);
  url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
  const ws = new WebSocket(url, [portForwardProtocol], { ...upgrade.options, perMessageDeflate: false, followRedirects: false });
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;

  return new Promise<PortForwardStream>((resolve, reject) => {
    let settled = false;
    const settle = (error: ExplainedError | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      ws.off('error', onError);
      if (!error) return resolve(new PortForwardStream(ws, { namespace, pod, port }, options));
      ws.on('error', () => {}); // a handshake cut short reports here; the rejection already says why
      if (ws.readyState !== ws.CLOSED) ws.terminate();
      reject(error);
    };
    const onAbort = () => settle(explainTransportError(ctx, abortError()));
    const onError = (err: Error) => settle(explainTransportError(ctx, err));
    const timer = setTimeout(
      () => settle(explainTransportError(ctx, Object.assign(new Error(`no answer within ${connectTimeoutMs} ms`), { code: 'ERR_REQUEST_TIMEOUT' }))),
      connectTimeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    ws.on('error', onError);
    ws.once('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      if (status === 401) upgrade.rejected();
      void readText(res).then((body) => settle(explainRefusedUpgrade(ctx, namespace, pod, status, body)));
    });
    ws.once('open', () => {
      if (ws.protocol !== portForwardProtocol) {
        return settle(
          new ExplainedError({
            reason: 'Unknown',
            what,
            why: `the server did not agree to the ${portForwardProtocol} protocol (it chose "${ws.protocol || 'none'}")`,
            remedy: 'A proxy between you and the cluster may strip WebSocket subprotocols; try without it',
          }),
        );
      }
      settle(undefined);
    });
  });
}
