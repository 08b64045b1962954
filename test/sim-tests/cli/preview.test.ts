// `tether preview` end to end: the built CLI as a real process in a workspace whose tether.yaml forks
// the api to a local server; the URL answers from it; Ctrl+C stops everything it started, releases
// the sandbox and says how long it stays; --json prints one object and exits, --json --wait keeps running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { sandboxName } from '../../../src/sandbox/names';
import type { TestHandle } from '../../cluster/clusterUnderTest';
import { cliCluster } from './cliCluster';
import { fetchText } from '../../fetchText';

async function localServer(t: TestHandle, reply: string): Promise<number> {
  const server: Server = createServer((req, res) => res.end(`${reply} ${req.url}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return (server.address() as AddressInfo).port;
}

function specText(shop: string, apiPort: number, localPort: number): string {
  return `name: shop\nbaseline: { namespace: ${shop} }\nforks:\n  - workload: { name: api }\n    mode: local\n    ports: [{ port: ${apiPort}, localPort: ${localPort} }]\npreview: { service: api, port: 80, path: /products }\n`;
}

test('preview runs in the foreground; Ctrl+C stops its tunnel and URL, releases the sandbox and says it stays until its TTL', async (t) => {
  const c = await cliCluster(t, 'cli-preview');
  const localPort = await localServer(t, 'from the terminal');
  const workspace = c.workspace({ 'tether.yaml': specText(c.shop, c.apiPort, localPort) });
  const sandbox = sandboxName(c.developer, 'main');
  const run = await c.spawn(['preview'], workspace);
  t.after(() => run.child.kill('SIGKILL'));
  const [, url] = await run.waitForOutput(/: (http:\/\/127\.0\.0\.1:\d+\/products)\n/, c.cluster.timeouts.podReadyMs + 30_000);
  assert.match(run.stdout(), new RegExp(`^Preview of "${sandbox}" \\(namespace ${sandbox}, context ${c.cluster.context}\\)`));
  assert.match(run.stdout(), /Pods:\n {2}\S+ {2}agent {2}ready/);
  assert.equal(await fetchText(url), 'from the terminal /products');
  const held = await c.cluster.client().get<KubeObject & { spec: { holderIdentity?: string } }>(kinds.Lease, sandbox, 'tether-sandbox');
  assert.match(held.spec.holderIdentity ?? '', new RegExp(`^${c.developer}@.+/cli$`));

  run.child.kill('SIGINT');
  assert.equal(await run.exited, 0, run.stderr());
  assert.match(run.stderr(), new RegExp(`Stopped the preview of "${sandbox}" here\\. The sandbox stays in namespace ${sandbox} until its TTL runs out \\(.+\\); \`tether sandbox down --name ${sandbox}\` removes it now`));
  await assert.rejects(fetchText(url), /ECONNREFUSED/);
  const released = await c.cluster.client().get<KubeObject & { spec: { holderIdentity?: string } }>(kinds.Lease, sandbox, 'tether-sandbox');
  assert.equal(released.spec.holderIdentity, undefined, 'released: the next front door needs no take-over');

  // The sandbox stayed; the next preview (in --json, shared) finds it, answers, and exits.
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on('warning', onWarning);
  const again = await c.tether(['preview', '--json', '--share'], workspace, { TETHER_PREVIEW_DOMAIN: 'preview.example.com' });
  process.off('warning', onWarning);
  // The run's requests at once share its abort signal: that is no leak to warn the user's terminal about.
  assert.deepEqual(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message), []);
  assert.equal(again.code, 0, again.err);
  const out = JSON.parse(again.out);
  assert.equal(out.sandbox, sandbox);
  assert.match(out.url, /^http:\/\/127\.0\.0\.1:\d+\/products$/);
  assert.equal(out.status, 200);
  assert.ok(Array.isArray(out.pods) && out.pods.some((p: { role: string }) => p.role === 'agent'));
  assert.deepEqual(out.lastErrors, []);
  // --share: the shareable host and the signed link the user asked for.
  assert.equal(out.share.url, `https://${sandbox}.preview.example.com/products`);
  assert.match(out.share.link, new RegExp(`^https://${sandbox}\\.preview\\.example\\.com/products\\?tether_token=v1\\.${sandbox}\\.`));
  assert.ok(Date.parse(out.share.expiresAt) > Date.now());
  await assert.rejects(fetchText(out.url), /ECONNREFUSED/, 'printed and exited: nothing of it runs here');

  // --json --wait: the object, then the preview keeps running until Ctrl+C.
  const waiting = await c.spawn(['preview', '--json', '--wait'], workspace);
  t.after(() => waiting.child.kill('SIGKILL'));
  const [line] = await waiting.waitForOutput(/^\{.*\}\n/, c.cluster.timeouts.podReadyMs + 30_000);
  const kept = JSON.parse(line);
  assert.equal(kept.sandbox, sandbox);
  assert.equal(await fetchText(kept.url), 'from the terminal /products');
  waiting.child.kill('SIGINT');
  assert.equal(await waiting.exited, 0, waiting.stderr());
  assert.equal(waiting.stdout(), line, 'one JSON object, nothing else on stdout');
  assert.match(waiting.stderr(), /Stopped the preview of "[^"]+" here\. The sandbox stays/);
  await assert.rejects(fetchText(kept.url), /ECONNREFUSED/);
  const down = await c.tether(['sandbox', 'down'], workspace);
  assert.equal(down.code, 0, down.err);
});

test('preview with no tether.yaml, and --share without a preview domain, explain themselves', async (t) => {
  const c = await cliCluster(t, 'cli-preview-errors');
  const none = await c.tether(['preview', '--json'], c.workspace());
  assert.equal(none.code, 2);
  assert.match(none.err, /^tether: Preview changes failed: .+tether\.yaml does not exist\. Write a tether\.yaml, or name the forks on the command line/m);
  const share = await c.tether(['preview', '--share'], c.workspace({ 'tether.yaml': specText(c.shop, c.apiPort, 1) }));
  assert.equal(share.code, 1);
  assert.match(share.err, /no preview domain is set.*; set TETHER_PREVIEW_DOMAIN/);
});
