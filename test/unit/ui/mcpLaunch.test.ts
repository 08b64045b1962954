import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mcpApi, mcpLaunch } from '../../../src/ui/mcp/mcpLaunch';

test('the MCP API is used only where the running editor has it in its final form (1.101+)', () => {
  const api = (version: string) => ({ version, McpStdioServerDefinition: class {}, lm: { registerMcpServerDefinitionProvider: () => ({ dispose() {} }) } });
  assert.equal(mcpApi({ version: '1.100.3', lm: { registerTool() {} } }), undefined, 'VS Code 1.100: language-model tools only');
  assert.equal(mcpApi(api('1.100.3')), undefined, 'a proposed MCP API in 1.100 wants another contribution');
  assert.equal(mcpApi({ version: '1.102.0', lm: { registerMcpServerDefinitionProvider() {} } }), undefined);
  assert.ok(mcpApi(api('1.101.0')));
  assert.ok(mcpApi(api('2.0.0')));
});

test('the editor starts tether mcp from the extension in the workspace, with its settings and context; a new context is a new version', () => {
  const launch = mcpLaunch('/ext', '/projects/shop', 'kind-dev', { TETHER_PREVIEW_DOMAIN: 'p.example.com' });
  assert.equal(launch.command, process.execPath);
  assert.deepEqual(launch.args, ['/ext/dist/tether.js', 'mcp', '--workspace', '/projects/shop']);
  assert.deepEqual(launch.env, { TETHER_PREVIEW_DOMAIN: 'p.example.com', TETHER_CONTEXT: 'kind-dev', ELECTRON_RUN_AS_NODE: '1' });
  assert.notEqual(mcpLaunch('/ext', '/projects/shop', 'prod', {}).version, mcpLaunch('/ext', '/projects/shop', 'kind-dev', {}).version);
  assert.equal(mcpLaunch('/ext', '/projects/shop', 'prod', {}).version, mcpLaunch('/ext', '/projects/shop', 'prod', {}).version);
});
