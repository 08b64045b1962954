import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readConfig } from '../../../src/agent/config';
import { newPreviewKey } from '../../../src/sandbox/preview/previewToken';

const key = newPreviewKey();
const gateEnv = { TETHER_PREVIEW_PORT: '8080', TETHER_PREVIEW_UPSTREAM: 'api.jane-main.svc:80', TETHER_PREVIEW_KEY_FILE: '/var/run/tether-preview/key', TETHER_PREVIEW_SANDBOX: 'jane-main' };
const files = (p: string) => (p === '/var/run/tether-preview/key' ? `${key}\n` : '');

test('a sandbox agent without a local fork: the control listener for the extension, no data ports, the gate from the environment and the key from its file', () => {
  const config = readConfig({ TETHER_TOKEN: 't', ...gateEnv }, files);
  assert.deepEqual(config.dataPorts, []);
  assert.equal(config.token, 't');
  assert.deepEqual(config.preview?.upstream, { host: 'api.jane-main.svc', port: 80 });
  assert.equal(config.preview?.port, 8080);
  assert.equal(config.preview?.sandbox, 'jane-main');
  assert.equal(config.preview?.key.length, 32);
});

test('with a local fork the agent carries data ports and the gate; without the gate settings there is no gate', () => {
  const both = readConfig({ TETHER_TOKEN: 't', TETHER_DATA_PORTS: '3000', ...gateEnv }, files);
  assert.deepEqual(both.dataPorts, [3000]);
  assert.equal(both.preview?.port, 8080);
  assert.equal(readConfig({ TETHER_TOKEN: 't' }).preview, undefined);
});

test('bad gate settings explain themselves', () => {
  assert.throws(() => readConfig({ TETHER_TOKEN: 't', TETHER_DATA_PORTS: '8080', ...gateEnv }, files), /includes the preview gate's port 8080/);
  assert.throws(() => readConfig({ TETHER_TOKEN: 't', ...gateEnv, TETHER_PREVIEW_UPSTREAM: 'api' }, files), /expected host:port/);
  assert.throws(() => readConfig({ TETHER_TOKEN: 't', ...gateEnv, TETHER_PREVIEW_SANDBOX: '' }, files), /which sandbox/);
  assert.throws(() => readConfig({ TETHER_TOKEN: 't', ...gateEnv }, () => 'c2hvcnQ'), /preview key .*at least 16 are needed.*Secret volume mount/);
});

test('TETHER_PREVIEW_ROUTING=header makes the gate add the sandbox\'s baggage; other values are refused', () => {
  assert.equal(readConfig({ TETHER_TOKEN: 't', ...gateEnv, TETHER_PREVIEW_ROUTING: 'header' }, files).preview?.baggage, true);
  assert.equal(readConfig({ TETHER_TOKEN: 't', ...gateEnv }, files).preview?.baggage, undefined);
  assert.throws(() => readConfig({ TETHER_TOKEN: 't', ...gateEnv, TETHER_PREVIEW_ROUTING: 'mesh' }, files), /expected "namespace" or "header"/);
});
