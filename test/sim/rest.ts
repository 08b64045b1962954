/**
 * The REST front door: faults, authentication, authorization (RBAC, discovery included), then the
 * verb on the resource (including `/status`, `pods/log`, `serviceaccounts/token`, the access and
 * token reviews and `/__sim/faults`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../src/kube/types';
import type { PodRuntime } from './contracts';
import { patchTypes, type DeleteOptions, type ResourceApi, type WriteOptions } from './api';
import type { Authenticator, UserInfo } from './auth';
import { attributesOf, nonResourceAttributes, type Authorizer } from './authorizer';
import type { DiscoveryDocuments } from './discovery';
import type { FaultCommand, Faults } from './faults';
import { parseBody, readBody, readObject, warningHeaders, writeError, writeJson, writeStatus } from './http-io';
import { listItem, listObjects } from './list';
import { projectList, projectObject, requestedProjection } from './negotiate';
import { rbacWriteCheck } from './rbacAdmission';
import type { RequestAttributes } from './rbacRules';
import type { ResourceRegistry } from './resources';
import { answerReview, requestToken } from './reviews';
import type { ServiceAccountTokens } from './serviceAccountTokens';
import { parseResourcePath, verbOf, type ResourceRequest, type Verb } from './router';
import { parseFieldSelector, parseLabelSelector, type ObjectFilter } from './selectors';
import { ApiError, badRequest, expired, failure, forbidden, methodNotAllowed, success, unauthorized } from './status';
import type { ObjectStore } from './store';
import type { WatchHub } from './watch';

export interface RestContext {
  api: ResourceApi;
  store: ObjectStore;
  registry: ResourceRegistry;
  watches: WatchHub;
  authenticator: Authenticator;
  authorizer: Authorizer;
  tokens: ServiceAccountTokens;
  discovery: DiscoveryDocuments;
  faults: Faults;
  runtime: () => PodRuntime;
  log: (message: string) => void;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function fieldManagerOf(req: IncomingMessage, url: URL): string {
  const explicit = url.searchParams.get('fieldManager');
  if (explicit) return explicit;
  const agent = req.headers['user-agent'] ?? 'unknown';
  return agent.split('/')[0] || 'unknown';
}

function writeOptions(ctx: RestContext, user: UserInfo, req: IncomingMessage, url: URL, request: ResourceRequest, warnings: string[]): WriteOptions {
  const validation = url.searchParams.get('fieldValidation');
  if (validation && !['Strict', 'Warn', 'Ignore'].includes(validation)) throw badRequest(`fieldValidation: Unsupported value: "${validation}": supported values: "Ignore", "Strict", "Warn"`);
  return {
    fieldManager: fieldManagerOf(req, url),
    dryRun: url.searchParams.getAll('dryRun').includes('All'),
    fieldValidation: (validation ?? 'Warn') as WriteOptions['fieldValidation'],
    warnings,
    subresource: request.subresource === 'status' ? 'status' : undefined,
    admit: rbacWriteCheck(ctx.authorizer, user, request.info, request.name),
  };
}

function filterOf(url: URL, kind: string): ObjectFilter {
  return {
    labels: parseLabelSelector(url.searchParams.get('labelSelector')),
    fields: parseFieldSelector(url.searchParams.get('fieldSelector'), kind),
  };
}

function intParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw badRequest(`${name}: Invalid value: "${raw}": must be an integer`);
  return n;
}

function deleteOptions(url: URL, body: unknown): DeleteOptions {
  const fromBody = (body ?? {}) as DeleteOptions & { orphanDependents?: boolean };
  const policy = url.searchParams.get('propagationPolicy') ?? fromBody.propagationPolicy ?? (fromBody.orphanDependents ? 'Orphan' : undefined);
  if (policy && !['Foreground', 'Background', 'Orphan'].includes(policy)) throw badRequest(`propagationPolicy: Unsupported value: "${policy}"`);
  return {
    propagationPolicy: policy as DeleteOptions['propagationPolicy'],
    gracePeriodSeconds: intParam(url, 'gracePeriodSeconds') ?? fromBody.gracePeriodSeconds,
    dryRun: url.searchParams.getAll('dryRun').includes('All') || (fromBody as { dryRun?: string[] }).dryRun?.includes('All'),
    preconditions: fromBody.preconditions,
  };
}

/** Throws the API server's 403 unless `user` may do what `a` describes. */
export function requireAllowed(ctx: Pick<RestContext, 'authorizer'>, user: UserInfo, a: RequestAttributes): void {
  const decision = ctx.authorizer.authorize(user, a);
  if (!decision.allowed) throw forbidden({ user: user.name, ...a, reason: decision.reason });
}

export async function handleRequest(ctx: RestContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const method = req.method ?? 'GET';
  try {
    if (ctx.faults.latencyMs > 0) await sleep(ctx.faults.latencyMs);
    if (['/healthz', '/readyz', '/livez'].includes(url.pathname)) {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    const user = ctx.authenticator.authenticate(req.headers.authorization);
    if (!user) throw unauthorized();
    if (url.pathname === '/__sim/faults') {
      requireAllowed(ctx, user, nonResourceAttributes(method, url.pathname));
      if (method !== 'POST') throw methodNotAllowed();
      ctx.faults.apply((parseBody(await readBody(req), false) ?? {}) as FaultCommand);
      writeJson(res, 200, { ok: true });
      return;
    }
    const injected = ctx.faults.takeServerError(url.pathname);
    if (injected) throw injected;
    const doc = method === 'GET' ? ctx.discovery.get(url.pathname) : undefined;
    if (doc !== undefined) {
      requireAllowed(ctx, user, nonResourceAttributes(method, url.pathname));
      writeJson(res, 200, doc);
      return;
    }
    const request = parseResourcePath(ctx.registry, url.pathname);
    const watch = ['1', 'true'].includes(url.searchParams.get('watch') ?? '');
    const verb = request && verbOf(method, request, watch);
    if (!request || !verb) {
      if (!request) requireAllowed(ctx, user, nonResourceAttributes(method, url.pathname));
      writeStatus(res, failure(404, 'NotFound', 'the server could not find the requested resource', {}));
      return;
    }
    requireAllowed(ctx, user, attributesOf(verb, request));
    await dispatch(ctx, user, verb, request, req, res, url);
  } catch (err) {
    writeError(res, err, ctx.log);
  }
}

function servesSubresource(request: ResourceRequest): boolean {
  const { info, subresource } = request;
  if (subresource === 'status') return info.hasStatus;
  if (info.kind === 'Pod') return subresource === 'log' || subresource === 'portforward';
  if (info.kind === 'ServiceAccount') return subresource === 'token';
  return false;
}

async function dispatch(ctx: RestContext, user: UserInfo, verb: Verb, request: ResourceRequest, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const { info, namespace, name, subresource } = request;
  if (subresource && !servesSubresource(request)) {
    writeStatus(res, failure(404, 'NotFound', 'the server could not find the requested resource', {}));
    return;
  }
  if (info.kind === 'Pod' && name && (subresource === 'log' || subresource === 'portforward')) {
    const pod = ctx.api.get(info, namespace, name);
    if (subresource === 'portforward') throw badRequest('Upgrade request required');
    if (verb !== 'get') throw methodNotAllowed();
    ctx.runtime().serveLog({ namespace: namespace ?? '', pod, req, url }, res);
    return;
  }
  if (subresource === 'token') {
    if (verb !== 'create') throw methodNotAllowed();
    writeJson(res, 201, requestToken(ctx, namespace ?? '', name ?? '', (await readObject(req)) as Record<string, unknown> | undefined));
    return;
  }
  if (info.virtual) {
    if (verb !== 'create') throw methodNotAllowed();
    writeJson(res, 201, answerReview(ctx, user, info, ((await readObject(req)) ?? {}) as Record<string, unknown>));
    return;
  }
  const warnings: string[] = [];
  const projection = verb === 'get' || verb === 'list' || verb === 'watch' ? requestedProjection(req.headers.accept) : undefined;
  switch (verb) {
    case 'get':
      writeJson(res, 200, projectObject(ctx.api.get(info, namespace, name ?? ''), info, projection));
      return;
    case 'list':
      if (ctx.faults.takeExpired()) throw new ApiError(expired('The resourceVersion for the provided list is too old.'));
      writeJson(res, 200, projectList(listObjects(ctx.store, info, {
        namespace,
        filter: filterOf(url, info.kind),
        limit: intParam(url, 'limit'),
        continueToken: url.searchParams.get('continue') ?? undefined,
        resourceVersion: url.searchParams.get('resourceVersion') ?? undefined,
        resourceVersionMatch: url.searchParams.get('resourceVersionMatch') ?? undefined,
      }), info, projection));
      return;
    case 'watch':
      ctx.watches.serve({
        info,
        namespace,
        filter: filterOf(url, info.kind),
        resourceVersion: url.searchParams.get('resourceVersion') ?? undefined,
        allowBookmarks: url.searchParams.get('allowWatchBookmarks') === 'true',
        timeoutSeconds: intParam(url, 'timeoutSeconds'),
        forceExpired: ctx.faults.takeExpired(),
        projection,
      }, res);
      return;
    case 'create': {
      const body = await readObject(req);
      const created = ctx.api.create(info, namespace, body, writeOptions(ctx, user, req, url, request, warnings));
      writeJson(res, 201, created, warningHeaders(warnings));
      return;
    }
    case 'update': {
      const body = await readObject(req);
      writeJson(res, 200, ctx.api.update(info, namespace, name ?? '', body, writeOptions(ctx, user, req, url, request, warnings)), warningHeaders(warnings));
      return;
    }
    case 'patch': {
      const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim();
      const type = patchTypes[contentType];
      const body = parseBody(await readBody(req), type === 'apply');
      const options = { ...writeOptions(ctx, user, req, url, request, warnings), force: url.searchParams.get('force') === 'true' };
      if (type === 'apply') options.fieldManager = url.searchParams.get('fieldManager') ?? '';
      const result = ctx.api.patch(info, namespace, name ?? '', type, body, options);
      writeJson(res, result.created ? 201 : 200, result.object, warningHeaders(warnings));
      return;
    }
    case 'delete': {
      const options = deleteOptions(url, await readObject(req));
      const { object, lingering } = ctx.api.delete(info, namespace, name ?? '', options);
      writeJson(res, 200, lingering || info.kind === 'Pod' ? object : success(info, object.metadata.name, object.metadata.uid));
      return;
    }
    case 'deletecollection': {
      const options = deleteOptions(url, await readObject(req));
      const filter = filterOf(url, info.kind);
      const targets = listObjects(ctx.store, info, { namespace, filter }).items as unknown as KubeObject[];
      const deleted = targets.map((t) => listItem(ctx.api.delete(info, t.metadata.namespace, t.metadata.name, options).object));
      writeJson(res, 200, { kind: `${info.kind}List`, apiVersion: info.apiVersion, metadata: { resourceVersion: String(ctx.store.resourceVersion) }, items: deleted });
      return;
    }
  }
}
