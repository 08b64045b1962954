import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient } from '../../../src/kube/api';
import { BaggageProxy } from '../../../src/sandbox/preview/baggageProxy';
import { PreviewListener } from '../../../src/sandbox/preview/preview';
import { endpointRouting, endpointServes, openPreviewEndpoint } from '../../../src/sandbox/preview/previewEndpoint';
import { TunnelSession } from '../../../src/tunnel/session';

// No request reaches the cluster here: only which endpoint serves which preview section is checked.
const client = {} as KubeClient;
const entry = { namespace: 'shop', service: 'web' };

test('header routing opens the baggage proxy, namespace routing the raw listener', async (t) => {
  const proxy = await openPreviewEndpoint({ client, routing: 'header', entry, sandbox: 'jane-main', path: '/' });
  t.after(() => proxy.dispose());
  const listener = await openPreviewEndpoint({ client, routing: 'namespace', entry, sandbox: 'jane-main', path: '/' });
  t.after(() => listener.dispose());
  assert.ok(proxy instanceof BaggageProxy);
  assert.ok(listener instanceof PreviewListener);
  assert.equal(endpointRouting(proxy)?.header, 'baggage: tether-sandbox=jane-main');
  assert.equal(endpointRouting(listener), undefined);
});

test('an endpoint is kept only for the same routing, entry, sandbox, path and agent connection', async (t) => {
  const proxy = await openPreviewEndpoint({ client, routing: 'header', entry, sandbox: 'jane-main', path: '/' });
  t.after(() => proxy.dispose());
  const same = { routing: 'header' as const, entry, sandbox: 'jane-main', path: '/' };
  assert.equal(endpointServes(proxy, same, undefined), true);
  const session = new TunnelSession({ client, namespace: 'shop', selector: 'x=y', token: 't', controlPort: 1, local: { host: '127.0.0.1', port: 1 } });
  assert.equal(endpointServes(proxy, same, session), false, 'an agent to connect through replaces the port-forwards');
  assert.equal(endpointServes(proxy, { ...same, routing: 'namespace' }, undefined), false, 'switching to namespace routing replaces the proxy');
  assert.equal(endpointServes(proxy, { ...same, sandbox: 'jane-other' }, undefined), false);
  assert.equal(endpointServes(proxy, { ...same, path: '/x' }, undefined), false);
  assert.equal(endpointServes(proxy, { ...same, entry: { ...entry, port: 8080 } }, undefined), false);
  assert.equal(endpointServes(undefined, same, undefined), false);
  proxy.dispose();
  assert.equal(endpointServes(proxy, same, undefined), false, 'a closed endpoint serves nothing');
});
