import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings, envSettingReader, readSettings, settingEnvName, settingKeys, settingsEnv } from '../../../src/engine/settings';
import { branchOf, developerName, holderIdentity } from '../../../src/engine/identity';
import type { EngineHost } from '../../../src/engine/host';
import { systemClock } from '../../../src/kube/clock';

test('settings: one typed object from any reader, unset and wrong types fall back to the defaults', () => {
  assert.deepEqual(readSettings(() => undefined), defaultSettings);
  const editor: Record<string, unknown> = {
    'sandbox.developer': '  jane ',
    'relay.image': 'mirror/node:22',
    'tunnel.joinWorkloadService': true,
    'preview.domain': 'preview.example.com',
    'preview.linkTtlHours': 2,
    'preview.scheme': 'ftp',
    'lint.rules': { 'image-tag-latest': 'off', 'probes-missing': 'loud' },
    'lint.schemaSource': 'bundled',
    'lint.podSecurity': 'restricted',
    'gpu.extraResources': ['habana.ai/gaudi', 3],
  };
  const s = readSettings((key) => editor[key]);
  assert.equal(s.sandbox.developer, 'jane');
  assert.equal(s.relay.image, 'mirror/node:22');
  assert.equal(s.tunnel.joinWorkloadService, true);
  assert.equal(s.preview.linkTtlHours, 2);
  assert.equal(s.preview.scheme, 'https', 'an unknown scheme is the default');
  assert.deepEqual(s.lint.rules, { 'image-tag-latest': 'off' });
  assert.equal(s.lint.schemaSource, 'bundled');
  assert.equal(s.lint.podSecurity, 'restricted');
  assert.equal(readSettings((key) => (key === 'lint.podSecurity' ? 'strict' : undefined)).lint.podSecurity, 'auto', 'an unknown mode is the default');
  assert.deepEqual(s.gpu.extraResources, ['habana.ai/gaudi']);
});

test('settings from the environment: TETHER_* names, strings coerced like the editor\'s values', () => {
  assert.equal(settingEnvName('preview.linkTtlHours'), 'TETHER_PREVIEW_LINK_TTL_HOURS');
  assert.equal(settingEnvName('sandbox.developer'), 'TETHER_SANDBOX_DEVELOPER');
  for (const key of settingKeys) assert.match(settingEnvName(key), /^TETHER_[A-Z_]+$/);
  const s = readSettings(envSettingReader({ TETHER_PREVIEW_LINK_TTL_HOURS: '0.5', TETHER_TUNNEL_JOIN_WORKLOAD_SERVICE: '1', TETHER_LINT_RULES: 'image-tag-latest=off,probes-missing=error', TETHER_GPU_EXTRA_RESOURCES: 'a/b, c/d' }));
  assert.equal(s.preview.linkTtlHours, 0.5);
  assert.equal(s.tunnel.joinWorkloadService, true);
  assert.deepEqual(s.lint.rules, { 'image-tag-latest': 'off', 'probes-missing': 'error' });
  assert.deepEqual(s.gpu.extraResources, ['a/b', 'c/d']);
});

function host(frontDoor: EngineHost['frontDoor'], branch?: string): EngineHost {
  return { frontDoor, userName: () => 'jdoe', hostName: () => 'laptop', gitBranch: async () => branch, clock: systemClock };
}

test('identity: the developer setting wins over the login name; each front door holds under its own name', async () => {
  assert.equal(developerName(defaultSettings, host('cli')), 'jdoe');
  assert.equal(developerName({ sandbox: { developer: 'jane', sharedNamespace: '' } }, host('cli')), 'jane');
  assert.equal(developerName(defaultSettings, { userName: () => '' }), 'developer');
  assert.equal(holderIdentity('jane', host('vscode')), 'jane@laptop/vscode');
  assert.equal(holderIdentity('jane', host('cli')), 'jane@laptop/cli');
  assert.equal(holderIdentity('jane', host('mcp')), 'jane@laptop/mcp');
  assert.equal(await branchOf('/w', host('cli', 'feature/login')), 'feature/login');
  assert.equal(await branchOf('/w', host('cli')), 'main');
});

test('settings handed over as TETHER_* variables read back the same', () => {
  assert.deepEqual(settingsEnv(defaultSettings), {});
  const s = readSettings((key) => ({ kubeconfig: '~/k.yaml', 'sandbox.developer': 'jane', 'preview.domain': 'p.example.com', 'preview.linkTtlHours': 2, 'tunnel.joinWorkloadService': true, 'lint.rules': { 'image-tag-latest': 'off' }, 'lint.schemaSource': 'bundled', 'lint.podSecurity': 'summary', 'gpu.extraResources': ['a/b', 'c/d'] })[key]);
  const env = settingsEnv(s);
  assert.equal(env.TETHER_LINT_POD_SECURITY, 'summary');
  assert.equal(env.TETHER_PREVIEW_DOMAIN, 'p.example.com');
  assert.equal(env.TETHER_KUBECONFIG, '~/k.yaml');
  assert.deepEqual(readSettings(envSettingReader(env)), s);
});
