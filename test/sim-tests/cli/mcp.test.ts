// `tether mcp` driven by the MCP SDK's own client over stdio, against the built CLI as a child
// process and the cluster under test: the tools listed with their schemas and hints, each called,
// progress notifications, a cancelled call, malformed arguments answered with an MCP error (the
// server keeps serving), nothing secret in any answer, and the server gone when the client closes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ErrorCode, McpError, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { agentTools } from '../../../src/engine/tools/toolDefinitions';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { sandboxSelector } from '../../../src/sandbox/labels';
import { previewKeySecretKey } from '../../../src/sandbox/preview/previewGateObjects';
import { sandboxName } from '../../../src/sandbox/names';
import { cliDist } from '../../cli/cliDist';
import { checkCommands } from '../sandbox/checkCommands';
import { cliCluster } from './cliCluster';
import { fetchText } from '../../fetchText';

type ToolResult = { isError?: boolean; structuredContent?: Record<string, unknown>; content: { type: string; text?: string }[] };

test('tether mcp: tools listed and called over stdio, with progress, cancellation, MCP errors for bad arguments and no secrets', async (t) => {
  const c = await cliCluster(t, 'cli-mcp');
  const local: Server = createServer((req, res) => res.end(`agent's edit ${req.url}`));
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    local.closeAllConnections();
    local.close();
  });
  const localPort = (local.address() as AddressInfo).port;
  const smoke = checkCommands(c.cluster.images.relay).smoke;
  const checks = `checks:\n  - ${JSON.stringify({ name: smoke.name, image: smoke.image, command: smoke.command })}\n`;
  const workspace = c.workspace({
    'tether.yaml': `name: shop\nbaseline: { namespace: ${c.shop} }\nforks:\n  - workload: { name: api }\n    mode: local\n    ports: [{ port: ${c.apiPort}, localPort: ${localPort} }]\npreview: { service: api, port: 80, path: /products }\n${checks}`,
    'broken.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\nspec:\n  replicas: "two"\n',
  });
  const sandbox = sandboxName(c.developer, 'main');
  const transport = new StdioClientTransport({ command: process.execPath, args: [path.join(await cliDist(), 'tether.js'), 'mcp'], cwd: workspace, env: { ...c.env, TETHER_PREVIEW_DOMAIN: 'preview.example.com' } as Record<string, string>, stderr: 'pipe' });
  let serverLog = '';
  transport.stderr?.on('data', (d: Buffer) => (serverLog += d.toString()));
  const client = new Client({ name: 'tether-test', version: '1.0.0' });
  await client.connect(transport);
  t.after(() => client.close().catch(() => undefined));
  const call = (name: string, args: Record<string, unknown>, options: { onprogress?: (p: Progress) => void; signal?: AbortSignal } = {}) =>
    client.callTool({ name, arguments: args }, undefined, { timeout: 180_000, ...options }) as Promise<ToolResult>;

  // Listed as defined, with schemas and hints.
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((tool) => tool.name).sort(), agentTools.map((tool) => tool.name).sort());
  for (const tool of tools) {
    const defined = agentTools.find((d) => d.name === tool.name)!;
    assert.deepEqual(tool.inputSchema, defined.inputSchema, tool.name);
    assert.deepEqual(tool.outputSchema, defined.outputSchema, tool.name);
    assert.equal(tool.annotations?.readOnlyHint, defined.annotations.readOnlyHint, tool.name);
  }
  assert.equal(tools.find((tool) => tool.name === 'sandbox_delete')?.annotations?.destructiveHint, true);

  // Malformed arguments: an MCP error, and the server keeps serving.
  for (const [name, args] of [['lint', { path: 3 }], ['preview', { bogus: true }], ['pod_logs', {}], ['lint', { path: 'broken.yaml', text: 'x' }], ['no_such_tool', {}]] as const) {
    await assert.rejects(call(name, args), (err: unknown) => err instanceof McpError && err.code === ErrorCode.InvalidParams, `${name} ${JSON.stringify(args)}`);
  }

  const lint = await call('lint', { path: 'broken.yaml' });
  assert.equal(lint.isError, undefined, JSON.stringify(lint));
  assert.ok((lint.structuredContent?.errors as number) >= 1);
  const findings = (lint.structuredContent?.files as { diagnostics: { ruleId: string }[] }[])[0].diagnostics.map((d) => d.ruleId);
  assert.ok(findings.includes('schema-type'), findings.join(', '));

  const schedule = await call('will_it_schedule', { text: `apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: ${c.shop} }\nspec:\n  containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }]\n` });
  assert.equal(schedule.isError, undefined, JSON.stringify(schedule));
  assert.equal((schedule.structuredContent?.templates as { fits: boolean }[])[0].fits, true);

  // Cancelled while it brings the sandbox up: the call ends, the server serves on.
  const abort = new AbortController();
  await assert.rejects(call('preview', {}, { signal: abort.signal, onprogress: () => abort.abort() }));
  assert.ok((await client.listTools()).tools.length > 0);

  // The preview, with progress; its URL answers from the local process.
  const progress: Progress[] = [];
  const preview = await call('preview', {}, { onprogress: (p) => progress.push(p) });
  assert.equal(preview.isError, undefined, `${JSON.stringify(preview)}\n${serverLog}`);
  const out = preview.structuredContent as { url: string; sandbox: string; share?: Record<string, string>; pods: { name: string; role: string; ready: boolean }[]; lastErrors: string[] };
  assert.equal(out.sandbox, sandbox);
  // The shareable host, but never a signed link: that is a credential for the user to hand out.
  assert.equal(out.share?.url, `https://${sandbox}.preview.example.com/products`);
  assert.deepEqual(Object.keys(out.share ?? {}).sort(), ['expiresAt', 'url']);
  assert.equal(await fetchText(out.url), "agent's edit /products");
  assert.ok(out.pods.some((p) => p.role === 'agent' && p.ready));
  // The roles a model reads about are the roles it gets.
  const roles = (tools.find((tool) => tool.name === 'preview')?.outputSchema?.properties?.pods as { items: { properties: { role: { description: string } } } }).items.properties.role.description;
  for (const p of out.pods) assert.ok(roles.includes(`"${p.role}"`), `role "${p.role}" is not described: ${roles}`);
  assert.ok(progress.length >= 2, JSON.stringify(progress));
  assert.ok(progress.every((p) => p.total === 6 && p.progress <= 6));
  assert.match(preview.content[0].text ?? '', /^Preview URL: http:\/\/127\.0\.0\.1:\d+\/products\n/);
  const held = await c.cluster.client().get<KubeObject & { spec: { holderIdentity?: string } }>(kinds.Lease, sandbox, 'tether-sandbox');
  assert.match(held.spec.holderIdentity ?? '', /\/mcp$/);

  const status = await call('sandbox_status', { sandbox });
  const [report] = status.structuredContent?.sandboxes as { sandbox: string; running?: { url?: string }; pods: { name: string; role: string }[] }[];
  assert.equal(report.sandbox, sandbox);
  assert.equal(report.running?.url, out.url);
  const agentPod = report.pods.find((p) => p.role === 'agent')!.name;

  const logs = await call('pod_logs', { pod: agentPod, tailLines: 50 });
  assert.equal(logs.isError, undefined, JSON.stringify(logs));
  assert.ok(Array.isArray(logs.structuredContent?.lines));
  const baselinePod = (await c.cluster.client().list<KubeObject>(kinds.Pod, c.shop, { labelSelector: 'app=api' })).items[0].metadata.name;
  const refused = await call('pod_logs', { pod: baselinePod, sandbox });
  assert.equal(refused.isError, true);
  assert.match(refused.content[0].text ?? '', /not a pod of sandbox/);

  const checkProgress: Progress[] = [];
  const ran = await call('run_checks', {}, { onprogress: (p) => checkProgress.push(p) });
  assert.equal(ran.isError, undefined, JSON.stringify(ran));
  assert.equal(ran.structuredContent?.passed, 1);
  // The last notification (1 of 1) is written right before the result, and the SDK's client may
  // handle the result first and drop it (typescript-sdk#2580); the running one comes well before.
  assert.ok(checkProgress.some((p) => p.total === 1 && p.progress === 0 && p.message === 'smoke: running'), JSON.stringify(checkProgress));
  assert.ok(checkProgress.every((p) => p.total === 1 && p.progress <= 1), JSON.stringify(checkProgress));

  // Nothing secret in any answer: not the agent's session token, not the key that signs links, no signed link.
  const secrets = await c.cluster.client().list<KubeObject & { data?: Record<string, string> }>(kinds.Secret, sandbox, { labelSelector: sandboxSelector(sandbox) });
  const secretValue = (key: string) => Buffer.from(secrets.items.find((s) => s.data?.[key])?.data?.[key] ?? '', 'base64').toString('utf8');
  const token = secretValue('token');
  const signingKey = secretValue(previewKeySecretKey);
  assert.ok(token.length > 10 && signingKey.length > 10);
  for (const answer of [preview, status, logs]) {
    const text = JSON.stringify(answer);
    assert.ok(!text.includes(token), 'a token in an answer');
    assert.ok(!text.includes(signingKey), 'the signing key in an answer');
    assert.ok(!text.includes('tether_token='), 'a signed link in an answer');
  }

  const deleted = await call('sandbox_delete', {});
  assert.equal(deleted.isError, undefined, JSON.stringify(deleted));
  assert.ok((deleted.structuredContent?.deleted as string[]).includes(`Namespace/${sandbox}`));
  await assert.rejects(fetchText(out.url), /ECONNREFUSED/);

  // A call's many requests at once share its signal: no listener warning on the server's stderr.
  assert.doesNotMatch(serverLog, /MaxListenersExceededWarning/);

  // The client goes away: so does the server.
  const pid = transport.pid;
  await client.close();
  await c.cluster.until(() => {
    try {
      process.kill(pid!, 0);
      return false;
    } catch {
      return true;
    }
  }, 'the MCP server to exit');
});
