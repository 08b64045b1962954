import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, readConfig } from '../../../src/agent/config';
import { createLog } from '../../../src/agent/log';

test('configuration comes from the environment with defaults', () => {
  const config = readConfig({ TETHER_TOKEN: 't0k', TETHER_DATA_PORTS: '8080, 9090' });
  assert.equal(config.controlHost, '127.0.0.1');
  assert.equal(config.controlPort, 7070);
  assert.equal(config.healthPort, 7071);
  assert.equal(config.dataHost, '0.0.0.0');
  assert.deepEqual(config.dataPorts, [8080, 9090]);
  assert.equal(config.token, 't0k');
});

test('the token can come from a mounted Secret file', () => {
  const config = readConfig({ TETHER_TOKEN_FILE: '/var/run/tether/token' }, (p) => (p === '/var/run/tether/token' ? 'from-file\n' : ''));
  assert.equal(config.token, 'from-file');
  assert.throws(() => readConfig({ TETHER_TOKEN_FILE: '/missing' }, () => { throw new Error('ENOENT'); }), /Cannot read the session token.*ENOENT.*Secret volume/);
  assert.throws(() => readConfig({ TETHER_TOKEN_FILE: '/empty' }, () => '  '), /is empty/);
});

test('bad configuration explains itself', () => {
  assert.throws(() => readConfig({}), (e: Error) => e instanceof ConfigError && /TETHER_TOKEN or TETHER_TOKEN_FILE/.test(e.message));
  assert.throws(() => readConfig({ TETHER_TOKEN: 'x', TETHER_DATA_PORTS: '80,http' }), /TETHER_DATA_PORTS has "http"/);
  assert.throws(() => readConfig({ TETHER_TOKEN: 'x', TETHER_CONTROL_PORT: '70000' }), /not a port number/);
  assert.throws(() => readConfig({ TETHER_TOKEN: 'x', TETHER_DATA_PORTS: '7070' }), /includes the control port 7070/);
  assert.throws(() => readConfig({ TETHER_TOKEN: 'x', TETHER_DATA_PORTS: '80,80' }), /lists a port twice/);
  assert.throws(() => readConfig({ TETHER_TOKEN: 'x', TETHER_DATA_PORTS: '7071' }), /includes the health port 7071/);
  assert.throws(() => readConfig({ TETHER_TOKEN: 'x', TETHER_HEALTH_PORT: '7070' }), /must not knock on the control port/);
  assert.throws(() => readConfig({ TETHER_TOKEN: 'x', TETHER_HOLD_MS: '-1' }), /positive number/);
});

test('log lines are one line per event with quoted values when needed', () => {
  const lines: string[] = [];
  const log = createLog((line) => lines.push(line));
  log('dial-failed', { stream: 3, reason: 'connect ECONNREFUSED 10.0.0.1:80', skipped: undefined });
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^\d{4}-\d\d-\d\dT\S+Z dial-failed stream=3 reason="connect ECONNREFUSED 10.0.0.1:80"\n$/);
});
