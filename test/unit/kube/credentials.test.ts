import { test } from 'node:test';
import assert from 'node:assert/strict';
import { certificateNotAfter, credentialExpiry, jwtExpiry } from '../../../src/kube/credentials';
import { expiredClientCertificate } from './local-cluster';

const jwt = (claims: object) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2lnbmF0dXJl`;

test('JWT exp is read; opaque tokens have no known expiry', () => {
  assert.equal(jwtExpiry(jwt({ sub: 'jane', exp: 1_700_000_000 }))?.toISOString(), '2023-11-14T22:13:20.000Z');
  assert.equal(jwtExpiry(jwt({ sub: 'jane' })), undefined);
  assert.equal(jwtExpiry('sha256~opaque-token'), undefined);
  assert.equal(jwtExpiry('a.b.c'), undefined);
});

test('client certificate notAfter, from data or file; the earliest credential wins', () => {
  const { cert } = expiredClientCertificate();
  const notAfter = certificateNotAfter(cert);
  assert.ok(notAfter && notAfter.getTime() < Date.now());
  assert.equal(certificateNotAfter('not a certificate'), undefined);
  const expiry = credentialExpiry({ name: 'u', certData: Buffer.from(cert).toString('base64'), token: jwt({ exp: 4_000_000_000 }) });
  assert.equal(expiry?.credential, 'client certificate');
  const token = credentialExpiry({ name: 'u', token: jwt({ exp: 1_000 }) });
  assert.equal(token?.credential, 'bearer token');
  const oidc = credentialExpiry({ name: 'u', authProvider: { name: 'oidc', config: { 'id-token': jwt({ exp: 2_000 }) } } });
  assert.equal(oidc?.credential, 'OIDC id-token');
  assert.equal(credentialExpiry({ name: 'u', certFile: '/nonexistent/cert.pem' }), undefined);
});
