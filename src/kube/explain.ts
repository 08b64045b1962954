/**
 * Turns every way a request to a cluster can fail into an ExplainedError: what failed, why in
 * plain words, and the next step. Pure: callers pass what they know about the request.
 */
import { ExplainedError, type Explanation, type FailureReason } from './errors';
import { redact } from './redact';
import { isClusterScoped } from './permissions/profiles';
import type { RoleObject } from './permissions/rbacYaml';
import { accessAdvice, featureFor, grantStep, roleNames, type AccessAdvice } from './permissions/remedy';
import { checksOfRule } from './permissions/rules';
import { describeCheck, type AccessCheck, type PolicyRule } from './role';

export interface ExplainContext {
  /** What was attempted, e.g. "List pods in namespace shop". */
  what: string;
  /** The API server URL. */
  server: string;
  /** Kubeconfig context name, for remedies. */
  context?: string;
  /** The earliest known expiry of the user's static credentials (see credentials.ts). */
  credentials?: { credential: string; expiresAt: Date };
  /** The exec credential plugin of the user, if any. */
  exec?: { command: string; installHint?: string };
  now?: Date;
  /** The namespace the request was in, when it was in one. */
  namespace?: string;
}

/** The Kubernetes `Status` body (the fields we read). */
export interface StatusBody {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    retryAfterSeconds?: number;
    causes?: { reason?: string; message?: string; field?: string }[];
  };
}

function make(ctx: ExplainContext, reason: FailureReason, why: string, remedy: string, status?: number, cause?: unknown, access?: AccessAdvice): ExplainedError {
  const explanation: Explanation = { reason, what: ctx.what, why, remedy, server: ctx.server };
  if (access) {
    explanation.access = access;
    explanation.step = grantStep(access);
  }
  if (ctx.context !== undefined) explanation.context = ctx.context;
  if (status !== undefined) explanation.status = status;
  return new ExplainedError(explanation, cause === undefined ? undefined : { cause });
}

export function parseStatus(body: string | unknown): StatusBody | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (value && typeof value === 'object' && (value as StatusBody).kind === 'Status') return value as StatusBody;
  return undefined;
}

const forbiddenPattern =
  /cannot (\S+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]*)"| at the cluster scope)?/;
const forbiddenUserPattern = /User "([^"]*)"/;
const forbiddenNamePattern = /^\S+ "([^"]+)" is forbidden/;

/** The permission a 403 message names, e.g. list pods in namespace samples. */
export function forbiddenCheck(message: string): AccessCheck | undefined {
  const m = forbiddenPattern.exec(message);
  if (!m) return undefined;
  const [resource, subresource] = m[2].split('/', 2);
  const check: AccessCheck = { verb: m[1], resource };
  if (subresource) check.subresource = subresource;
  if (m[3]) check.group = m[3];
  if (m[4]) check.namespace = m[4];
  const name = forbiddenNamePattern.exec(message);
  if (name) check.name = name[1];
  return check;
}

function ruleText(rule: PolicyRule): string {
  const names = rule.resourceNames?.length ? `, resourceNames: [${rule.resourceNames.map((n) => `"${n}"`).join(', ')}]` : '';
  return `{apiGroups: [${rule.apiGroups.map((g) => `"${g}"`).join(', ')}], resources: [${rule.resources.map((r) => `"${r}"`).join(', ')}]${names}, verbs: [${rule.verbs.map((v) => `"${v}"`).join(', ')}]}`;
}

/** The kubectl line that makes `role` (one rule), e.g. `kubectl create role tether-explorer-shop -n shop --verb=list --resource=pods`. */
function kubectlText(role: RoleObject): string {
  const [rule] = role.rules;
  const resource = `${rule.resources[0]}${rule.apiGroups[0] ? `.${rule.apiGroups[0]}` : ''}`;
  const names = rule.resourceNames?.length ? ` --resource-name=${rule.resourceNames.join(',')}` : '';
  const where = role.kind === 'Role' ? `role ${role.name} -n ${role.namespace}` : `clusterrole ${role.name}`;
  return `\`kubectl create ${where} --verb=${rule.verbs.join(',')} --resource=${resource}${names}\``;
}

/**
 * A refusal of one request: the permission it lacked and the Role named for the feature that
 * needs it, in its namespace — or a ClusterRole when the kind lives outside namespaces (a
 * namespace, a node), whatever namespace the API server's message names.
 */
function explainForbidden(ctx: ExplainContext, status: StatusBody | undefined, code: number): ExplainedError {
  const message = status?.message ?? 'the API server refused the request';
  const user = forbiddenUserPattern.exec(message)?.[1] ?? escalationUserPattern.exec(message)?.[1];
  const who = user ? `user "${user}"` : 'your user';
  const escalation = escalationChecks(message, ctx.namespace);
  if (escalation.length > 0) {
    const advice = accessAdvice('sandbox', escalation, [], user);
    return make(
      ctx,
      'Forbidden',
      `${who} may grant only permissions they hold, and does not hold: ${escalation.map(describeCheck).join('; ')}`,
      `Ask a cluster admin to apply ${roleNames(advice)} and bind it to ${who}`,
      code,
      undefined,
      advice,
    );
  }
  const check = forbiddenCheck(message);
  if (!check) {
    return make(ctx, 'Forbidden', redact(message), 'Ask a cluster admin for the permission this needs (`kubectl auth can-i --list` shows what you have)', code);
  }
  // A namespaced object's name says which one was refused, not what the feature needs.
  const { name: _refused, ...unnamed } = check;
  const needed = isClusterScoped(check) ? check : unnamed;
  const advice = accessAdvice(featureFor(check), [needed], [], user);
  const [role] = advice.roles;
  const scope = role.kind === 'Role' ? `Role "${role.name}" in namespace "${role.namespace}"` : `ClusterRole "${role.name}"`;
  return make(ctx, 'Forbidden', `${who} may not ${describeCheck(unnamed)}`, `Ask a cluster admin for ${scope} with the rule ${ruleText(role.rules[0])}, bound to ${who} (${kubectlText(role)})`, code, undefined, advice);
}

const escalationUserPattern = /user "([^"]*)"/;
const escalationRulePattern = /\{APIGroups:\[([^\]]*)\], Resources:\[([^\]]*)\](?:, ResourceNames:\[([^\]]*)\])?, Verbs:\[([^\]]*)\]\}/g;

/**
 * The permissions RBAC's escalation check says are missing ("is attempting to grant RBAC
 * permissions not currently held: {APIGroups:["batch"], Resources:["jobs"], Verbs:["list"]}"),
 * in the namespace of the Role being written.
 */
export function escalationChecks(message: string, namespace?: string): AccessCheck[] {
  if (!message.includes('attempting to grant RBAC permissions not currently held')) return [];
  const list = (text: string | undefined) => (text ? [...text.matchAll(/"([^"]*)"/g)].map((m) => m[1]) : []);
  const out: AccessCheck[] = [];
  for (const m of message.matchAll(escalationRulePattern)) {
    const rule: PolicyRule = { apiGroups: list(m[1]), resources: list(m[2]), verbs: list(m[4]) };
    const names = list(m[3]);
    if (names.length) rule.resourceNames = names;
    out.push(...checksOfRule(rule, namespace));
  }
  return out;
}

function causesText(status: StatusBody | undefined): string {
  const causes = status?.details?.causes ?? [];
  return causes
    .map((c) => (c.field ? `${c.field}: ${c.message ?? c.reason ?? ''}` : (c.message ?? c.reason ?? '')))
    .filter(Boolean)
    .join('; ');
}

/** An HTTP answer with status >= 400. `body` is the raw body (a Status when the API server wrote it). */
export function explainResponse(ctx: ExplainContext, code: number, body: string | unknown, retryAfter?: string): ExplainedError {
  const status = parseStatus(body);
  const plain = typeof body === 'string' && !status ? body.trim().slice(0, 200) : '';
  const message = redact(status?.message ?? (plain || `HTTP ${code}`));
  const now = ctx.now ?? new Date();
  switch (code) {
    case 401: {
      const expired = ctx.credentials && ctx.credentials.expiresAt.getTime() <= now.getTime();
      if (expired && ctx.credentials) {
        return make(
          ctx,
          'CredentialsExpired',
          `the ${ctx.credentials.credential} expired at ${ctx.credentials.expiresAt.toISOString()}`,
          refreshRemedy(ctx),
          code,
        );
      }
      return make(ctx, 'Unauthorized', `the cluster at ${ctx.server} did not accept your credentials (${message})`, refreshRemedy(ctx), code);
    }
    case 403:
      return explainForbidden(ctx, status, code);
    case 404:
      return make(ctx, 'NotFound', message, 'It may have been deleted or never created', code);
    case 409:
      if (status?.reason === 'AlreadyExists') {
        return make(ctx, 'AlreadyExists', message, 'Pick another name, or delete the existing object first', code);
      }
      return make(ctx, 'Conflict', message, 'Someone changed it at the same time; reload it and try again', code);
    case 406:
      return make(ctx, 'NotAcceptable', `the cluster at ${ctx.server} cannot answer in the form asked for (${message})`, 'Metadata-only reads need Kubernetes 1.15 or later; check the server version with `kubectl version`', code);
    case 410:
      return make(ctx, 'Gone', message, 'The data was compacted on the server; reload (lists are fetched again automatically)', code);
    case 400:
    case 422: {
      const causes = causesText(status);
      return make(ctx, 'Invalid', causes && !message.includes(causes) ? `${message} (${causes})` : message, 'Fix the fields named above and try again', code);
    }
    case 429: {
      const seconds = status?.details?.retryAfterSeconds ?? (retryAfter ? Number(retryAfter) : undefined);
      const wait = seconds && Number.isFinite(seconds) ? ` in ${seconds} s` : ' shortly';
      return make(ctx, 'TooManyRequests', `the cluster at ${ctx.server} is throttling requests (${message})`, `Tether retries by itself; try again${wait}`, code);
    }
    case 504:
      return make(ctx, 'Timeout', `the cluster at ${ctx.server} timed out (${message})`, 'Try again; if it keeps happening the API server is overloaded', code);
    default:
      if (code >= 500) {
        return make(ctx, 'ServerError', `the cluster at ${ctx.server} failed with HTTP ${code} (${message})`, 'Try again later; if it persists, check the API server health (`kubectl get --raw /readyz?verbose`)', code);
      }
      return make(ctx, 'Unknown', `HTTP ${code} (${message})`, 'Try again; the Tether log has the details', code);
  }
}

function refreshRemedy(ctx: ExplainContext): string {
  if (ctx.exec) return `Sign in again so \`${ctx.exec.command}\` can issue fresh credentials, then retry`;
  return `Get fresh credentials for context "${ctx.context ?? 'this context'}" from your cluster provider (they update your kubeconfig), then retry`;
}

const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE', 'ENETDOWN']);
const tlsUntrustedCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);

interface ErrnoLike {
  code?: string;
  name?: string;
  message?: string;
  path?: string;
  syscall?: string;
}

function asErrno(err: unknown): ErrnoLike {
  return err && typeof err === 'object' ? (err as ErrnoLike) : { message: String(err) };
}

/** Transport failures: connection, DNS, TLS, timeouts, cancellation. */
export function explainTransportError(ctx: ExplainContext, err: unknown): ExplainedError {
  if (err instanceof ExplainedError) return err;
  const e = asErrno(err);
  const code = e.code ?? '';
  const detail = redact(e.message ?? code);
  if (e.name === 'AbortError' || code === 'ABORT_ERR') return make(ctx, 'Cancelled', 'it was cancelled', 'Nothing to do', undefined, err);
  if (code === 'ERR_REQUEST_TIMEOUT') {
    return make(ctx, 'Timeout', `the cluster at ${ctx.server} did not answer in time`, 'Check the VPN or network, then retry; `kubectl cluster-info` tests the same connection', undefined, err);
  }
  if (unreachableCodes.has(code)) {
    return make(
      ctx,
      'Unreachable',
      `the cluster at ${ctx.server} did not answer (${code})`,
      'Check that you are on the right network or VPN and that the cluster is running; `kubectl cluster-info` tests the same connection',
      undefined,
      err,
    );
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED') {
    const whose = code === 'CERT_HAS_EXPIRED' ? "the cluster's TLS certificate" : 'your client certificate';
    return make(ctx, 'CredentialsExpired', `${whose} has expired`, code === 'CERT_HAS_EXPIRED' ? 'Ask the cluster admin to renew the API server certificate, or fetch a current kubeconfig' : refreshRemedy(ctx), undefined, err);
  }
  if (code === 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE' || code === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED') {
    return make(ctx, 'Unauthorized', `the cluster at ${ctx.server} rejected your client certificate`, refreshRemedy(ctx), undefined, err);
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return make(
      ctx,
      'TlsError',
      `the certificate of ${ctx.server} is not valid for that host name (${detail})`,
      'Use the server address the certificate was issued for, or set tls-server-name for the cluster in your kubeconfig',
      undefined,
      err,
    );
  }
  if (tlsUntrustedCodes.has(code) || code === 'CERT_NOT_YET_VALID' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return make(
      ctx,
      'TlsError',
      `the TLS certificate of ${ctx.server} is not trusted (${code || detail})`,
      'Make sure the kubeconfig has the cluster\'s certificate-authority(-data); fetch a fresh kubeconfig from your provider if it changed',
      undefined,
      err,
    );
  }
  return make(ctx, 'Unknown', `the request to ${ctx.server} failed (${detail})`, 'Retry; the Tether log has the details', undefined, err);
}

/** Failures while obtaining credentials: exec plugins, token files, OIDC refresh. */
export function explainCredentialError(ctx: ExplainContext, err: unknown): ExplainedError {
  if (err instanceof ExplainedError) return err;
  const e = asErrno(err);
  if (ctx.exec) {
    const command = ctx.exec.command;
    if (e.code === 'ENOENT' || e.code === 'EACCES') {
      const hint = ctx.exec.installHint ? ` ${ctx.exec.installHint.trim()}` : '';
      const missing = make(
        ctx,
        'ExecPluginMissing',
        `the credential plugin \`${command}\` named in your kubeconfig ${e.code === 'ENOENT' ? 'is not installed or not on PATH' : 'cannot be executed'}`,
        `Install \`${command}\`${hint ? ` (${hint.trim().replace(/\.$/, '')})` : ''}`,
        undefined,
        err,
      );
      return new ExplainedError({ ...missing.toExplanation(), step: { code: 'installOnPath', command } }, { cause: err });
    }
    const stderr = redact((e.message ?? '').trim()).slice(0, 500);
    return make(
      ctx,
      'ExecPluginFailed',
      `the credential plugin \`${command}\` failed${stderr ? `: ${stderr}` : ''}`,
      `Run \`${command}\` in a terminal to see what it needs (often a fresh sign-in), then retry`,
      undefined,
      err,
    );
  }
  return make(
    ctx,
    'Unauthorized',
    `credentials for context "${ctx.context ?? ''}" could not be prepared (${redact(e.message ?? String(err))})`,
    refreshRemedy(ctx),
    undefined,
    err,
  );
}
