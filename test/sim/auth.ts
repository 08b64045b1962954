/**
 * Authentication as kube-apiserver does it with a static token file and ServiceAccount tokens:
 * a bearer token names a static user (the admin is in `system:masters`) or is a ServiceAccount
 * token this server issued (serviceAccountTokens.ts); every authenticated user is also in
 * `system:authenticated`. No token, or one nobody recognises, is 401 (anonymous requests are off).
 */
import { timingSafeEqual } from 'node:crypto';
import type { ServiceAccountTokens } from './serviceAccountTokens';

export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** A line of the static token file: token, user name, groups. */
export interface StaticUser {
  name: string;
  token: string;
  groups?: string[];
}

export const authenticatedGroup = 'system:authenticated';
export const mastersGroup = 'system:masters';

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
}

export class Authenticator {
  constructor(
    private readonly users: readonly StaticUser[],
    private readonly serviceAccounts: ServiceAccountTokens,
  ) {}

  /** The user a bearer token stands for, or undefined (401). */
  authenticate(authorization: string | undefined): UserInfo | undefined {
    const token = bearerToken(authorization);
    if (!token) return undefined;
    return this.authenticateToken(token);
  }

  authenticateToken(token: string): UserInfo | undefined {
    const staticUser = this.users.find((u) => sameToken(u.token, token));
    let user: UserInfo | undefined;
    if (staticUser) user = { name: staticUser.name, groups: [...(staticUser.groups ?? [])] };
    else {
      const account = this.serviceAccounts.authenticate(token);
      if (!account) return undefined;
      const { audiences: _accepted, ...info } = account;
      user = info;
    }
    if (!user.groups.includes(authenticatedGroup)) user.groups.push(authenticatedGroup);
    return user;
  }

  staticUser(name: string): StaticUser {
    const user = this.users.find((u) => u.name === name);
    if (!user) throw new Error(`no simulated user named ${name}; configure it in startSimulator({ users })`);
    return user;
  }
}
