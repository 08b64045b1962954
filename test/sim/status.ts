/**
 * `Status` bodies exactly as a kube-apiserver sends them, and the error that carries one through
 * the simulator until the HTTP layer writes it.
 */
import type { RequestAttributes } from './rbacRules';
import type { ResourceInfo } from './resources';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: Status,
    readonly headers: Record<string, string> = {},
  ) {
    super(status.message ?? status.reason ?? `HTTP ${status.code}`);
    this.name = 'ApiError';
  }
}

export function failure(code: number, reason: string, message: string, details?: StatusDetails): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

/** "configmaps" or "deployments.apps": how the API server names a resource in messages. */
export function qualifiedResource(info: ResourceInfo): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}

function resourceDetails(info: ResourceInfo, name?: string): StatusDetails {
  const details: StatusDetails = {};
  if (name !== undefined) details.name = name;
  if (info.group) details.group = info.group;
  details.kind = info.plural;
  return details;
}

export function notFound(info: ResourceInfo, name: string): ApiError {
  return new ApiError(failure(404, 'NotFound', `${qualifiedResource(info)} "${name}" not found`, resourceDetails(info, name)));
}

export function alreadyExists(info: ResourceInfo, name: string): ApiError {
  return new ApiError(
    failure(409, 'AlreadyExists', `${qualifiedResource(info)} "${name}" already exists`, resourceDetails(info, name)),
  );
}

export function conflict(info: ResourceInfo, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError {
  return new ApiError(
    failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(info)} "${name}": ${why}`, resourceDetails(info, name)),
  );
}

export function invalid(info: ResourceInfo, name: string, causes: Required<StatusCause>[]): ApiError {
  const kind = info.group ? `${info.kind}.${info.group}` : info.kind;
  const summary = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  const message = `${kind} "${name}" is invalid: ${causes.length > 1 ? `[${summary}]` : summary}`;
  const details: StatusDetails = { name };
  if (info.group) details.group = info.group;
  details.kind = info.kind;
  details.causes = causes;
  return new ApiError(failure(422, 'Invalid', message, details));
}

export function badRequest(message: string): ApiError {
  return new ApiError(failure(400, 'BadRequest', message));
}

export function unauthorized(): ApiError {
  return new ApiError(failure(401, 'Unauthorized', 'Unauthorized'));
}

/** A denied request: who asked, what (request-info attributes) and what the authorizer said. */
export interface ForbiddenRequest extends RequestAttributes {
  user: string;
  /** What the authorizer said (e.g. "RBAC: role … not found"), appended after a colon. */
  reason?: string;
}

/** A denied request, worded as the API server's forbiddenMessage and apierrors.NewForbidden word it. */
export function forbidden(r: ForbiddenRequest): ApiError {
  let why: string;
  if (!r.resourceRequest) why = `User ${JSON.stringify(r.user)} cannot ${r.verb} path ${JSON.stringify(r.path ?? '')}`;
  else {
    const resource = r.subresource ? `${r.resource}/${r.subresource}` : r.resource;
    const scope = r.namespace ? `in the namespace ${JSON.stringify(r.namespace)}` : 'at the cluster scope';
    why = `User ${JSON.stringify(r.user)} cannot ${r.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(r.group ?? '')} ${scope}`;
  }
  if (r.reason) why += `: ${r.reason}`;
  return forbiddenBecause(r.resourceRequest ? { group: r.group ?? '', resource: r.resource ?? '' } : undefined, r.name, why);
}

/** apierrors.NewForbidden: `<resource>[.group] ["name"] is forbidden: <why>`, or `forbidden: <why>` without a resource. */
export function forbiddenBecause(target: { group: string; resource: string } | undefined, name: string | undefined, why: string): ApiError {
  const details: StatusDetails = {};
  if (!target) return new ApiError(failure(403, 'Forbidden', `forbidden: ${why}`, details));
  const qualified = target.group ? `${target.resource}.${target.group}` : target.resource;
  if (name) details.name = name;
  if (target.group) details.group = target.group;
  details.kind = target.resource;
  const subject = name ? `${qualified} ${JSON.stringify(name)}` : qualified;
  return new ApiError(failure(403, 'Forbidden', `${subject} is forbidden: ${why}`, details));
}

export function namespaceTerminating(info: ResourceInfo, name: string, namespace: string): ApiError {
  const details = resourceDetails(info, name);
  details.causes = [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }];
  return new ApiError(
    failure(403, 'Forbidden', `${qualifiedResource(info)} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`, details),
  );
}

export function expired(message: string): Status {
  return failure(410, 'Expired', message);
}

export function serviceUnavailable(message: string, retryAfterSeconds: number): ApiError {
  return new ApiError(failure(503, 'ServiceUnavailable', message, { retryAfterSeconds }), {
    'Retry-After': String(retryAfterSeconds),
  });
}

export function methodNotAllowed(): ApiError {
  return new ApiError(failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
}

export function unsupportedMediaType(contentType: string): ApiError {
  return new ApiError(failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml (got ${contentType})`));
}

export function success(info: ResourceInfo, name: string, uid: string): Record<string, unknown> {
  const details: StatusDetails = { name };
  if (info.group) details.group = info.group;
  details.kind = info.plural;
  details.uid = uid;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}
