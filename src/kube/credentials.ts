/**
 * When do a user's credentials stop working? Read locally, without asking the cluster, so a 401
 * can be explained as "expired" rather than "rejected": the client certificate's notAfter, or the
 * `exp` claim of a JWT bearer token (service-account and OIDC id tokens are JWTs).
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { User } from '@kubernetes/client-node/dist/config_types.js';

export interface CredentialExpiry {
  /** Which credential: "client certificate" or "bearer token". */
  credential: string;
  expiresAt: Date;
}

/** notAfter of a PEM certificate (the first one in the bundle), or undefined if unreadable. */
export function certificateNotAfter(pem: string | Buffer): Date | undefined {
  try {
    const cert = new X509Certificate(pem);
    const date = new Date(cert.validTo);
    return Number.isNaN(date.getTime()) ? undefined : date;
  } catch {
    return undefined;
  }
}

/** `exp` of a JWT, or undefined for opaque tokens. The signature is not checked: only the server can. */
export function jwtExpiry(token: string): Date | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}

function clientCertificate(user: User): Buffer | undefined {
  try {
    if (user.certFile) return readFileSync(user.certFile);
    if (user.certData) return Buffer.from(user.certData, 'base64');
  } catch {
    return undefined;
  }
  return undefined;
}

function oidcIdToken(user: User): string | undefined {
  const provider = user.authProvider as { name?: string; config?: Record<string, unknown> } | undefined;
  const token = provider?.config?.['id-token'];
  return typeof token === 'string' ? token : undefined;
}

/** The earliest known expiry among the user's static credentials (cert, token, OIDC id-token). */
export function credentialExpiry(user: User): CredentialExpiry | undefined {
  const found: CredentialExpiry[] = [];
  const cert = clientCertificate(user);
  const notAfter = cert && certificateNotAfter(cert);
  if (notAfter) found.push({ credential: 'client certificate', expiresAt: notAfter });
  const token = user.token ?? oidcIdToken(user);
  const exp = token ? jwtExpiry(token) : undefined;
  if (exp) found.push({ credential: user.token ? 'bearer token' : 'OIDC id-token', expiresAt: exp });
  found.sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
  return found[0];
}
