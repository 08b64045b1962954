import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redact } from '../../../src/kube/redact';

test('redacts credentials in every shape they appear in', () => {
  const cases: [input: string, secret: string][] = [
    ['Authorization: Bearer abc.def-123', 'abc.def-123'],
    ['{"Authorization":"Bearer sekrit"}', 'sekrit'],
    ['authorization: basic dXNlcjpwYXNz', 'dXNlcjpwYXNz'],
    ['token: sha256~abcdef', 'sha256~abcdef'],
    ['    client-key-data: LS0tLS1CRUdJTiBSU0E=', 'LS0tLS1CRUdJTiBSU0E='],
    ['id-token: eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2ln', 'eyJzdWIiOiJqYW5lIn0'],
    ['refresh-token: r3fr3sh', 'r3fr3sh'],
    ['client-secret: cl1ent', 'cl1ent'],
    ['password=hunter2&x=1', 'hunter2'],
    ['{"token":"t0k3n","other":1}', 't0k3n'],
    ['failed with eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.abcdefgh inside', 'eyJleHAiOjF9'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEsecret\n-----END RSA PRIVATE KEY-----', 'MIIEsecret'],
    ['-----BEGIN PRIVATE KEY-----\nMIIEtruncated', 'MIIEtruncated'],
  ];
  for (const [input, secret] of cases) {
    const out = redact(input);
    assert.ok(!out.includes(secret), `${input} -> ${out}`);
    assert.match(out, /<redacted>/, input);
  }
});

test('leaves ordinary text alone', () => {
  for (const text of [
    'GET /api/v1/namespaces/shop/pods?watch=1&resourceVersion=12',
    'the token was rejected by the server',
    'pods is forbidden: User "jane" cannot list resource "pods"',
    'Authorization failed',
  ]) {
    assert.equal(redact(text), text);
  }
});

test('keeps the structure around a redacted value', () => {
  assert.equal(redact('Authorization: Bearer abc'), 'Authorization: Bearer <redacted>');
  assert.equal(redact('  token: abc\n  server: https://x'), '  token: <redacted>\n  server: https://x');
});
