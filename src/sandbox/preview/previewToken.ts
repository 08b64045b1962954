/**
 * The shareable preview link's token: `v1.<sandbox>.<expiry>.<signature>`, where expiry is Unix
 * seconds and the signature is HMAC-SHA256 (base64url) over the version, sandbox and expiry with
 * the sandbox's own random key. The extension signs links; the relay's preview gate verifies them.
 * Pure and node:crypto only: the relay agent bundles this file.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const previewTokenVersion = 'v1';
/** The query parameter a shared link carries the token in. */
export const previewTokenParam = 'tether_token';
/** The cookie the gate sets once a link's token was accepted. */
export const previewCookieName = 'tether_preview';
/** Keys shorter than this are refused: 32 random bytes are generated. */
export const minimumKeyBytes = 16;

export type TokenProblem = 'malformed' | 'wrong-sandbox' | 'expired' | 'bad-signature';
export type TokenCheck = { ok: true; expiresAt: number } | { ok: false; reason: TokenProblem };

const sandboxPattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const signaturePattern = /^[A-Za-z0-9_-]{43}$/;

/** A fresh key as text (base64url of 32 random bytes), the form it has in the Secret. */
export function newPreviewKey(): string {
  return randomBytes(32).toString('base64url');
}

/** The key bytes from their text form; throws a RangeError for a missing or short key. */
export function previewKeyFromText(text: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64url');
  if (key.length < minimumKeyBytes) throw new RangeError(`the preview key has ${key.length} bytes; at least ${minimumKeyBytes} are needed`);
  return key;
}

function signature(key: Buffer, sandbox: string, expiry: string): Buffer {
  return createHmac('sha256', key).update(`${previewTokenVersion}\n${sandbox}\n${expiry}`).digest();
}

/** A token for `sandbox` valid until `expiresAtMs` (rounded down to the second). */
export function signPreviewToken(key: Buffer, sandbox: string, expiresAtMs: number): string {
  if (!sandboxPattern.test(sandbox)) throw new RangeError(`"${sandbox}" is not a sandbox name`);
  const expiry = String(Math.floor(expiresAtMs / 1000));
  return `${previewTokenVersion}.${sandbox}.${expiry}.${signature(key, sandbox, expiry).toString('base64url')}`;
}

/**
 * Checks `token` for `sandbox` at `nowMs`. The signature is checked before the expiry, so a token
 * with an edited expiry is reported as forged rather than expired; the comparison is constant-time.
 */
export function verifyPreviewToken(key: Buffer, token: string, sandbox: string, nowMs: number): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 4) return { ok: false, reason: 'malformed' };
  const [version, tokenSandbox, expiry, sig] = parts;
  if (version !== previewTokenVersion || !sandboxPattern.test(tokenSandbox) || !/^\d{1,12}$/.test(expiry) || !signaturePattern.test(sig)) return { ok: false, reason: 'malformed' };
  if (tokenSandbox !== sandbox) return { ok: false, reason: 'wrong-sandbox' };
  const expected = signature(key, sandbox, expiry);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  const expiresAt = Number(expiry) * 1000;
  if (expiresAt <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, expiresAt };
}

/** The link to share: `url` with the token in its query. */
export function signedPreviewLink(url: string, token: string): string {
  const link = new URL(url);
  link.searchParams.set(previewTokenParam, token);
  return link.toString();
}
