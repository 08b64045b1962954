/**
 * The API server's answers that are computed, not stored: SelfSubjectAccessReview and
 * SelfSubjectRulesReview from the same authorizer that guards every request, SelfSubjectReview and
 * TokenReview from the same authenticator, and TokenRequest (`serviceaccounts/NAME/token`), which issues a ServiceAccount
 * token bound, if asked, to a Pod or Secret.
 */
import type { KubeObject } from '../../src/kube/types';
import type { ResourceApi } from './api';
import { authenticatedGroup, type Authenticator, type UserInfo } from './auth';
import type { Authorizer } from './authorizer';
import type { ResourceInfo } from './resources';
import type { ServiceAccountTokens } from './serviceAccountTokens';
import { badRequest, conflict, invalid } from './status';

export interface ReviewContext {
  api: ResourceApi;
  authenticator: Authenticator;
  authorizer: Authorizer;
  tokens: ServiceAccountTokens;
}

type Dict = Record<string, unknown>;

interface AccessReviewSpec {
  resourceAttributes?: { namespace?: string; verb?: string; group?: string; version?: string; resource?: string; subresource?: string; name?: string };
  nonResourceAttributes?: { path?: string; verb?: string };
}

const created = { creationTimestamp: null };

function accessReview(ctx: ReviewContext, user: UserInfo, info: ResourceInfo, body: Dict): Dict {
  const spec = (body.spec ?? {}) as AccessReviewSpec;
  const { resourceAttributes: r, nonResourceAttributes: n } = spec;
  if (!r === !n) {
    const why = r ? 'cannot be specified in combination with resourceAttributes' : 'exactly one of nonResourceAttributes or resourceAttributes must be specified';
    throw invalid(info, '', [{ reason: 'FieldValueInvalid', message: `Invalid value: "null": ${why}`, field: r ? 'spec.nonResourceAttributes' : 'spec.resourceAttributes' }]);
  }
  const decision = r
    ? ctx.authorizer.authorize(user, { verb: r.verb ?? '', resourceRequest: true, group: r.group ?? '', resource: r.resource ?? '', subresource: r.subresource || undefined, namespace: r.namespace || undefined, name: r.name || undefined })
    : ctx.authorizer.authorize(user, { verb: n?.verb ?? '', resourceRequest: false, path: n?.path ?? '' });
  const status: Dict = { allowed: decision.allowed };
  if (decision.reason) status.reason = decision.reason;
  return { kind: info.kind, apiVersion: info.apiVersion, metadata: created, spec, status };
}

function rulesReview(ctx: ReviewContext, user: UserInfo, info: ResourceInfo, body: Dict): Dict {
  const spec = (body.spec ?? {}) as { namespace?: string };
  if (!spec.namespace) throw badRequest('no namespace on request');
  return { kind: info.kind, apiVersion: info.apiVersion, metadata: created, spec, status: ctx.authorizer.rulesFor(user, spec.namespace) };
}

function tokenReview(ctx: ReviewContext, info: ResourceInfo, body: Dict): Dict {
  const spec = (body.spec ?? {}) as { token?: string; audiences?: string[] };
  const audiences = spec.audiences?.length ? spec.audiences : ctx.tokens.apiAudiences;
  // The whole authenticator chain answers, so the user is also in system:authenticated.
  const account = ctx.tokens.authenticate(spec.token ?? '', audiences);
  const user = account ? { ...account, groups: [...account.groups, authenticatedGroup] } : audiences === ctx.tokens.apiAudiences ? ctx.authenticator.authenticateToken(spec.token ?? '') : undefined;
  const status: Dict = user
    ? { authenticated: true, user: { username: user.name, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups, ...(user.extra ? { extra: user.extra } : {}) }, audiences: account?.audiences ?? audiences }
    : { user: {} };
  return { kind: info.kind, apiVersion: info.apiVersion, metadata: created, spec, status };
}

/** Who the API server takes the requester for (`kubectl auth whoami`). */
function selfReview(user: UserInfo, info: ResourceInfo): Dict {
  const userInfo: Dict = { username: user.name, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups, ...(user.extra ? { extra: user.extra } : {}) };
  return { kind: info.kind, apiVersion: info.apiVersion, metadata: created, status: { userInfo } };
}

/** POST of a review kind by `user`: the review with its status (201). */
export function answerReview(ctx: ReviewContext, user: UserInfo, info: ResourceInfo, body: Dict): Dict {
  switch (info.kind) {
    case 'SelfSubjectAccessReview':
      return accessReview(ctx, user, info, body);
    case 'SelfSubjectRulesReview':
      return rulesReview(ctx, user, info, body);
    case 'SelfSubjectReview':
      return selfReview(user, info);
    case 'TokenReview':
      return tokenReview(ctx, info, body);
    default:
      throw new Error(`${info.kind} is not a review`);
  }
}

interface TokenRequestSpec {
  audiences?: string[] | null;
  expirationSeconds?: number | null;
  boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string } | null;
}

const tokenRequestInfo = { kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', plural: 'tokenrequests', namespaced: true, apiVersion: 'authentication.k8s.io/v1', hasStatus: false, virtual: true, shortNames: [], verbs: ['create'] } satisfies ResourceInfo;

/** POST .../serviceaccounts/NAME/token: a TokenRequest answered with a fresh token (201). */
export function requestToken(ctx: ReviewContext, namespace: string, name: string, body: Dict | undefined): Dict {
  const spec = ((body?.spec ?? {}) as TokenRequestSpec);
  const expirationSeconds = spec.expirationSeconds ?? 3600;
  if (expirationSeconds < 600 || expirationSeconds > 2 ** 32) {
    const why = expirationSeconds < 600 ? 'may not specify a duration less than 10 minutes' : 'may not specify a duration larger than 2^32 seconds';
    throw invalid(tokenRequestInfo, name, [{ reason: 'FieldValueInvalid', message: `Invalid value: ${expirationSeconds}: ${why}`, field: 'spec.expirationSeconds' }]);
  }
  const registry = ctx.api.registry;
  const account = ctx.api.get(registry.kind('ServiceAccount'), namespace, name);
  let bound: { kind: 'Pod' | 'Secret'; object: KubeObject } | undefined;
  const ref = spec.boundObjectRef;
  if (ref) {
    if ((ref.apiVersion ?? 'v1') !== 'v1' || (ref.kind !== 'Pod' && ref.kind !== 'Secret')) throw badRequest(`cannot bind token to object of type ${ref.apiVersion ?? ''}, Kind=${ref.kind ?? ''}`);
    const object = ctx.api.get(registry.kind(ref.kind), namespace, ref.name ?? '');
    if (ref.kind === 'Pod') {
      const podAccount = (object.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName;
      if (podAccount !== name) throw badRequest(`cannot bind token for serviceaccount ${JSON.stringify(name)} to pod running with serviceaccount ${JSON.stringify(podAccount ?? '')}`);
    }
    if (ref.uid && ref.uid !== object.metadata.uid) {
      throw conflict(registry.kind(ref.kind), ref.name ?? '', `the UID in the bound object reference (${ref.uid}) does not match the UID in record (${object.metadata.uid}). The object might have been deleted and then recreated`);
    }
    bound = { kind: ref.kind, object };
  }
  const audiences = spec.audiences?.length ? spec.audiences : ctx.tokens.apiAudiences;
  const { token, expirationTimestamp } = ctx.tokens.issue(account, { audiences, expirationSeconds, bound });
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: null },
    spec: { audiences, expirationSeconds, boundObjectRef: ref ?? null },
    status: { token, expirationTimestamp },
  };
}
