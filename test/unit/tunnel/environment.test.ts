import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dotenvText, expand, referencedObjects, resolveEnvironment, type ContainerEnv, type EnvSources } from '../../../src/tunnel/environment';
import { writeEnvFile } from '../../../src/tunnel/environmentFetch';
import { tempFolder } from '../../tempFolder';

const container: ContainerEnv = {
  name: 'app',
  envFrom: [{ configMapRef: { name: 'base' } }, { prefix: 'DB_', secretRef: { name: 'db' } }, { configMapRef: { name: 'gone', optional: true } }],
  env: [
    { name: 'MODE', value: 'prod' },
    { name: 'URL', value: 'http://$(HOST):$(PORT)/$(MISSING)/$$(LITERAL)' },
    { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'base', key: 'LOG_LEVEL' } } },
    { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'api', key: 'key' } } },
    { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    { name: 'NOPE', valueFrom: { secretKeyRef: { name: 'api', key: 'absent' } } },
    { name: 'MAYBE', valueFrom: { secretKeyRef: { name: 'api', key: 'absent', optional: true } } },
  ],
};

const sources: EnvSources = {
  configMaps: new Map<string, Record<string, string>>([['base', { HOST: 'orders', PORT: '8080', LOG_LEVEL: 'debug', MODE: 'dev', 'bad key': 'x' }]]),
  secrets: new Map<string, Record<string, string>>([
    ['db', { PASSWORD: 'hunter2' }],
    ['api', { key: 'k-123' }],
  ]),
  fields: { 'metadata.namespace': 'shop' },
};

test('envFrom, then env winning over it, with $(VAR) expansion like the kubelet', () => {
  const env = resolveEnvironment(container, sources);
  assert.deepEqual(env.variables, {
    HOST: 'orders',
    PORT: '8080',
    LOG_LEVEL: 'debug',
    MODE: 'prod',
    DB_PASSWORD: 'hunter2',
    URL: 'http://orders:8080/$(MISSING)/$(LITERAL)',
    LEVEL: 'debug',
    API_KEY: 'k-123',
    NS: 'shop',
  });
  assert.deepEqual(env.secretVariables, ['API_KEY', 'DB_PASSWORD']);
  assert.equal(env.problems.length, 3, env.problems.join('\n'));
  assert.ok(env.problems.some((p) => p.includes('"bad key"')));
  assert.ok(env.problems.some((p) => p.startsWith('POD_IP: status.podIP only exists inside a running pod')));
  assert.ok(env.problems.some((p) => p.startsWith('NOPE: key "absent" is missing from Secret "api"')));
});

test('a required source that cannot be read is a problem; an optional one is not', () => {
  const env = resolveEnvironment({ name: 'x', envFrom: [{ secretRef: { name: 'db' } }, { configMapRef: { name: 'other', optional: true } }] }, { configMaps: new Map(), secrets: new Map() });
  assert.deepEqual(env.variables, {});
  assert.deepEqual(env.problems, ['Secret "db" (envFrom) does not exist or could not be read']);
});

test('references and expansion edge cases', () => {
  assert.deepEqual(referencedObjects(container), { configMaps: ['base', 'gone'], secrets: ['db', 'api'] });
  assert.equal(expand('$(A)$(B', { A: '1' }), '1$(B');
  assert.equal(expand('cost: $5 $$ $', {}), 'cost: $5 $ $');
});

test('a requested env file is written 0600 and quotes what a shell would mangle', async (t) => {
  const dir = tempFolder(t, 'env');
  const file = path.join(dir, '.env');
  writeFileSync(file, 'OLD=1\n', { mode: 0o644 });
  await writeEnvFile(file, { A: 'plain', B: 'has "quotes" and $HOME\nand a newline' });
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(readFileSync(file, 'utf8'), 'A="plain"\nB="has \\"quotes\\" and \\$HOME\\nand a newline"\n');
  assert.equal(dotenvText({}), '');
});
