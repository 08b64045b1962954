import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mcpApi, mcpLaunch } from '../../../src/ui/mcp/mcpLaunch';

test('the MCP API is used only where the running editor has it', () => {
  assert.equal(mcpApi({ lm: { registerTool() {} } }), undefined, 'VS Code 1.100: language-model tools only');
  assert.equal(mcpApi({ lm: { registerMcpServerDefinitionProvider() {} } }), undefined);
  const api = { McpStdioServerDefinition: class {}, lm: { registerMcpServerDefinitionProvider: () => ({ dispose() {} }) } };
  assert.equal(mcpApi(api), api);
});

test('the editor starts tether mcp from the extension in the workspace, with its settings and context; a new context is a new version', () => {
  const launch = mcpLaunch('/ext', '/projects/shop', 'kind-dev', { TETHER_PREVIEW_DOMAIN: 'p.example.com' });
  assert.equal(launch.command, process.execPath);
  assert.deepEqual(launch.args, ['/ext/dist/tether.js', 'mcp', '--workspace', '/projects/shop']);
  assert.deepEqual(launch.env, { TETHER_PREVIEW_DOMAIN: 'p.example.com', TETHER_CONTEXT: 'kind-dev', ELECTRON_RUN_AS_NODE: '1' });
  assert.notEqual(mcpLaunch('/ext', '/projects/shop', 'prod', {}).version, mcpLaunch('/ext', '/projects/shop', 'kind-dev', {}).version);
  assert.equal(mcpLaunch('/ext', '/projects/shop', 'prod', {}).version, mcpLaunch('/ext', '/projects/shop', 'prod', {}).version);
});
