import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient } from '../../../src/kube/api';
import { ExplainedError } from '../../../src/kube/errors';
import { previewHostSettings } from '../../../src/sandbox/preview/previewHost';
import { assertGatewayApi, sharedPreview } from '../../../src/sandbox/preview/previewShare';
import { newPreviewKey, previewKeyFromText, verifyPreviewToken } from '../../../src/sandbox/preview/previewToken';

/** A client whose every request answers with `fail` (or succeeds), recording the paths asked for. */
function clientAnswering(fail?: ExplainedError): { client: KubeClient; paths: string[] } {
  const paths: string[] = [];
  const client = { request: async (o: { path: string }) => { paths.push(o.path); if (fail) throw fail; return {}; } } as unknown as KubeClient;
  return { client, paths };
}

const gateway = previewHostSettings({ domain: 'preview.example.com', gateway: 'gateway-system/preview' })!;

test('a cluster without the Gateway API is said so plainly, with the next step', async () => {
  const { client, paths } = clientAnswering(new ExplainedError({ reason: 'NotFound', what: 'Get', why: 'the server could not find the requested resource', remedy: '', status: 404 }));
  await assert.rejects(assertGatewayApi(client, gateway), (err: ExplainedError) => {
    assert.equal(err.reason, 'NotFound');
    assert.match(err.why, /does not serve the Gateway API \(gateway\.networking\.k8s\.io\/v1\)/);
    assert.match(err.remedy, /install the Gateway API .* or clear the gateway setting to use an Ingress/);
    assert.deepEqual(err.step, { code: 'changeSetting', setting: 'preview.gateway', value: '' });
    return true;
  });
  assert.deepEqual(paths, ['/apis/gateway.networking.k8s.io/v1']);
});

test('with the Gateway API, or in Ingress mode, nothing is in the way; other failures pass through', async () => {
  await assertGatewayApi(clientAnswering().client, gateway);
  const ingress = clientAnswering(new ExplainedError({ reason: 'NotFound', what: 'x', why: 'y', remedy: 'z' }));
  await assertGatewayApi(ingress.client, previewHostSettings({ domain: 'preview.example.com' })!);
  assert.deepEqual(ingress.paths, [], 'Ingress mode does not look');
  const forbidden = new ExplainedError({ reason: 'Forbidden', what: 'x', why: 'y', remedy: 'z', status: 403 });
  await assert.rejects(assertGatewayApi(clientAnswering(forbidden).client, gateway), (err) => err === forbidden);
});

test('the shared preview: the host URL with the preview path, and a link signed for the configured lifetime', () => {
  const key = newPreviewKey();
  const now = Date.parse('2026-11-22T05:00:00Z');
  const settings = previewHostSettings({ domain: 'preview.example.com', linkTtlHours: 2 })!;
  const shared = sharedPreview(settings, 'jane-main', 'https://jane-main.preview.example.com', '/products', key, now);
  assert.equal(shared.url, 'https://jane-main.preview.example.com/products');
  assert.equal(shared.expiresAt, '2026-11-22T07:00:00.000Z');
  const token = new URL(shared.link).searchParams.get('tether_token') ?? '';
  assert.deepEqual(verifyPreviewToken(previewKeyFromText(key), token, 'jane-main', now), { ok: true, expiresAt: Date.parse(shared.expiresAt) });
});
