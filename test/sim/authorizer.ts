/**
 * The authorizer chain of a kube-apiserver run with `--authorization-mode=RBAC`: members of
 * `system:masters` may do anything (the privileged-group authorizer, no reason given), everybody
 * else what RBAC allows. `rulesFor` answers SelfSubjectRulesReview from the same two sources, and
 * `attributesOf` is the request-info resolver's view of a request.
 */
import { mastersGroup, type UserInfo } from './auth';
import type { Decision, RbacAuthorizer } from './rbac';
import type { PolicyRule, RequestAttributes } from './rbacRules';
import type { ResourceRequest } from './router';

export interface ResourceRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
}

export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs: string[];
}

export interface RulesReview {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  evaluationError?: string;
}

export function isPrivileged(user: UserInfo): boolean {
  return user.groups.includes(mastersGroup);
}

/**
 * A resource request's attributes. As the request-info resolver does, a request for a namespace
 * object by name (`/api/v1/namespaces/NAME`) is in that namespace.
 */
export function attributesOf(verb: string, request: ResourceRequest): RequestAttributes {
  const { info, name, subresource } = request;
  const namespace = info.kind === 'Namespace' && name ? name : request.namespace;
  return { verb, resourceRequest: true, group: info.group, resource: info.plural, subresource, namespace, name };
}

/** A non-resource request's attributes: the lower-cased HTTP method on the path. */
export function nonResourceAttributes(method: string, path: string): RequestAttributes {
  return { verb: method.toLowerCase(), resourceRequest: false, path };
}

export class Authorizer {
  constructor(readonly rbac: RbacAuthorizer) {}

  authorize(user: UserInfo, a: RequestAttributes): Decision {
    if (isPrivileged(user)) return { allowed: true, reason: '' };
    return this.rbac.authorize(user, a);
  }

  rulesFor(user: UserInfo, namespace: string): RulesReview {
    const resourceRules: ResourceRule[] = [];
    const nonResourceRules: NonResourceRule[] = [];
    if (isPrivileged(user)) {
      resourceRules.push({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
      nonResourceRules.push({ verbs: ['*'], nonResourceURLs: ['*'] });
    }
    const { rules, errors } = this.rbac.rulesFor(user, namespace);
    for (const rule of rules) {
      if (rule.resources?.length) resourceRules.push(resourceRule(rule));
      if (rule.nonResourceURLs?.length) nonResourceRules.push({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs });
    }
    const review: RulesReview = { resourceRules, nonResourceRules, incomplete: false };
    if (errors.length > 0) review.evaluationError = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
    return review;
  }
}

function resourceRule(rule: PolicyRule): ResourceRule {
  const out: ResourceRule = { verbs: rule.verbs, apiGroups: rule.apiGroups ?? [], resources: rule.resources ?? [] };
  if (rule.resourceNames?.length) out.resourceNames = rule.resourceNames;
  return out;
}
