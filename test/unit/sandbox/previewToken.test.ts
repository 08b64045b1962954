import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newPreviewKey, previewKeyFromText, signPreviewToken, signedPreviewLink, verifyPreviewToken } from '../../../src/sandbox/preview/previewToken';

const key = previewKeyFromText('m3kG8Qp0dYb2w9Zr4TnV1aXc6HsLjE5uFqRoPiKyW7g');
const now = Date.parse('2026-11-22T05:00:00Z');
const inADay = now + 24 * 3600_000;

test('a signed token has the versioned compact form and verifies for its sandbox until it expires', () => {
  const token = signPreviewToken(key, 'jane-main', inADay);
  assert.match(token, /^v1\.jane-main\.\d+\.[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(verifyPreviewToken(key, token, 'jane-main', now), { ok: true, expiresAt: Math.floor(inADay / 1000) * 1000 });
  assert.deepEqual(verifyPreviewToken(key, token, 'jane-main', inADay + 1000), { ok: false, reason: 'expired' });
});

test('each kind of bad token gets its own reason', () => {
  const token = signPreviewToken(key, 'jane-main', inADay);
  const [v, s, e, sig] = token.split('.');
  const reason = (t: string, sandbox = 'jane-main') => {
    const check = verifyPreviewToken(key, t, sandbox, now);
    return check.ok ? 'ok' : check.reason;
  };
  assert.equal(reason(''), 'malformed');
  assert.equal(reason('v2.jane-main.1.x'), 'malformed');
  assert.equal(reason(`${v}.${s}.${e}`), 'malformed');
  assert.equal(reason(`${v}.${s}.soon.${sig}`), 'malformed');
  assert.equal(reason(token, 'joe-main'), 'wrong-sandbox');
  assert.equal(reason(`${v}.${s}.${Number(e) + 3600}.${sig}`), 'bad-signature', 'an edited expiry is a forgery, not a longer link');
  assert.equal(reason(signPreviewToken(previewKeyFromText(newPreviewKey()), 'jane-main', inADay)), 'bad-signature');
  assert.equal(reason(signPreviewToken(key, 'jane-main', now - 1000)), 'expired');
});

test('keys: fresh ones are 32 random bytes, short ones are refused, sandbox names are checked', () => {
  assert.equal(previewKeyFromText(newPreviewKey()).length, 32);
  assert.notEqual(newPreviewKey(), newPreviewKey());
  assert.throws(() => previewKeyFromText('c2hvcnQ'), /at least 16/);
  assert.throws(() => signPreviewToken(key, 'Not.A.Sandbox', inADay), /not a sandbox name/);
});

test('the shared link carries the token in its query, next to the preview path and query', () => {
  const link = signedPreviewLink('https://jane-main.preview.example.com/products?sort=asc', 'v1.jane-main.1.abc');
  assert.equal(link, 'https://jane-main.preview.example.com/products?sort=asc&tether_token=v1.jane-main.1.abc');
});
