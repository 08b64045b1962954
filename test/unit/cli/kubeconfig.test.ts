// The kubeconfig the CLI and the MCP server read: TETHER_KUBECONFIG (or --kubeconfig) as KUBECONFIG
// has it, several files joined, relative to the working folder, ~ as the home folder; the same in
// both front doors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { CliRun, kubeconfigEnv } from '../../../src/cli/cliRun';
import { McpSession } from '../../../src/cli/mcp/mcpSession';
import { memoryIo } from '../../cli/memoryIo';
import { tempFolder } from '../../tempFolder';

const separator = process.platform === 'win32' ? ';' : ':';

function kubeconfig(name: string): string {
  return `apiVersion: v1\nkind: Config\nclusters: [{ name: ${name}, cluster: { server: "https://${name}.example.com" } }]\nusers: [{ name: ${name}, user: { token: t } }]\ncontexts: [{ name: ${name}, context: { cluster: ${name}, user: ${name} } }]\ncurrent-context: ${name}\n`;
}

test('kubeconfigEnv: KUBECONFIG from the setting, each path resolved, ~ as the home folder; unset, the environment as it is', () => {
  const env = { KUBECONFIG: '/elsewhere/config', PATH: '/bin' };
  assert.equal(kubeconfigEnv('', env, '/work'), env);
  assert.equal(kubeconfigEnv('kube/one', env, '/work').KUBECONFIG, path.resolve('/work', 'kube/one'));
  assert.equal(kubeconfigEnv(['a', '~/b', '/c/d'].join(separator), env, '/work').KUBECONFIG, [path.resolve('/work', 'a'), path.join(homedir(), 'b'), path.resolve('/c/d')].join(separator));
  assert.equal(kubeconfigEnv('~', env, '/work').KUBECONFIG, homedir());
  assert.equal(kubeconfigEnv('a', env, '/work').PATH, '/bin');
});

test('the CLI and the MCP server read the same files from TETHER_KUBECONFIG: both of two, relative to the working folder', (t) => {
  const dir = tempFolder(t, 'kubeconfig');
  writeFileSync(path.join(dir, 'one'), kubeconfig('one'));
  writeFileSync(path.join(dir, 'two'), kubeconfig('two'));
  const io = memoryIo({ cwd: dir, env: { TETHER_KUBECONFIG: ['one', 'two'].join(separator) } });
  const cli = new CliRun(io, {});
  const mcp = new McpSession(io, {});
  try {
    for (const loaded of [cli.kubeconfig(), mcp.kubeconfig()]) {
      assert.deepEqual(loaded.files, [path.join(dir, 'one'), path.join(dir, 'two')]);
      assert.deepEqual(loaded.contexts.map((c) => c.name).sort(), ['one', 'two']);
      assert.equal(loaded.currentContext, 'one');
    }
    assert.equal(mcp.context(), 'one');
    assert.equal(mcp.context('two'), 'two');
  } finally {
    cli.dispose();
    mcp.dispose();
  }
});
