/**
 * Authentication (bearer tokens) and authorization (everything is allowed except configured
 * denials), plus SelfSubjectAccessReview answers that agree with the same rules.
 */
import { timingSafeEqual } from 'node:crypto';

export interface Denial {
  /** "get", "list", "watch", "create", "update", "patch", "delete", "deletecollection" or "*". */
  verb: string;
  /** Plural resource, e.g. "pods", or "*". */
  resource: string;
  subresource?: string;
  namespace?: string;
  group?: string;
  /** Reason reported by SelfSubjectAccessReview. */
  reason?: string;
}

export interface SimUser {
  name: string;
  token: string;
  denials?: Denial[];
}

export interface Attributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface AccessReviewStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class AccessControl {
  private readonly users: SimUser[];

  constructor(users: SimUser[]) {
    this.users = users.map((u) => ({ ...u, denials: [...(u.denials ?? [])] }));
  }

  authenticate(authorization: string | undefined): SimUser | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return undefined;
    return this.users.find((u) => sameToken(u.token, match[1]));
  }

  user(name: string): SimUser {
    const user = this.users.find((u) => u.name === name);
    if (!user) throw new Error(`no simulated user named ${name}`);
    return user;
  }

  /** Replaces a user's denials at run time (tests and `POST /__sim/faults`). */
  setDenials(name: string, denials: Denial[]): void {
    this.user(name).denials = [...denials];
  }

  private denialFor(user: SimUser, a: Attributes): Denial | undefined {
    return user.denials?.find(
      (d) =>
        (d.verb === '*' || d.verb === a.verb) &&
        (d.resource === '*' || d.resource === a.resource) &&
        (d.subresource ?? '') === (a.subresource ?? '') &&
        (d.namespace === undefined || d.namespace === a.namespace) &&
        (d.group === undefined || d.group === a.group),
    );
  }

  allowed(user: SimUser, a: Attributes): boolean {
    return this.denialFor(user, a) === undefined;
  }

  review(user: SimUser, a: Attributes): AccessReviewStatus {
    const denial = this.denialFor(user, a);
    if (!denial) return { allowed: true, reason: `allowed: no rule denies user "${user.name}" to ${a.verb} ${a.resource}` };
    return denial.reason ? { allowed: false, reason: denial.reason } : { allowed: false };
  }
}
