/**
 * The REST front door: faults, authentication, discovery, authorization, then the verb on the
 * resource (including `/status`, `pods/log`, SelfSubjectAccessReview and `/__sim/faults`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../src/kube/types';
import type { PodRuntime } from './contracts';
import { patchTypes, type DeleteOptions, type ResourceApi, type WriteOptions } from './api';
import type { AccessControl, SimUser } from './auth';
import type { DiscoveryDocuments } from './discovery';
import type { FaultCommand, Faults } from './faults';
import { parseBody, readBody, readObject, warningHeaders, writeError, writeJson, writeStatus } from './http-io';
import { listItem, listObjects } from './list';
import { projectList, projectObject, requestedProjection } from './negotiate';
import type { ResourceRegistry } from './resources';
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
  access: AccessControl;
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

function writeOptions(req: IncomingMessage, url: URL, request: ResourceRequest, warnings: string[]): WriteOptions {
  const validation = url.searchParams.get('fieldValidation');
  if (validation && !['Strict', 'Warn', 'Ignore'].includes(validation)) throw badRequest(`fieldValidation: Unsupported value: "${validation}": supported values: "Ignore", "Strict", "Warn"`);
  return {
    fieldManager: fieldManagerOf(req, url),
    dryRun: url.searchParams.getAll('dryRun').includes('All'),
    fieldValidation: (validation ?? 'Warn') as WriteOptions['fieldValidation'],
    warnings,
    subresource: request.subresource === 'status' ? 'status' : undefined,
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

export async function handleRequest(ctx: RestContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  try {
    if (ctx.faults.latencyMs > 0) await sleep(ctx.faults.latencyMs);
    if (['/healthz', '/readyz', '/livez'].includes(url.pathname)) {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    const user = ctx.access.authenticate(req.headers.authorization);
    if (!user) throw unauthorized();
    if (url.pathname === '/__sim/faults') {
      if (req.method !== 'POST') throw methodNotAllowed();
      ctx.faults.apply((parseBody(await readBody(req), false) ?? {}) as FaultCommand);
      writeJson(res, 200, { ok: true });
      return;
    }
    const injected = ctx.faults.takeServerError(url.pathname);
    if (injected) throw injected;
    const doc = req.method === 'GET' ? ctx.discovery.get(url.pathname) : undefined;
    if (doc !== undefined) {
      writeJson(res, 200, doc);
      return;
    }
    const request = parseResourcePath(ctx.registry, url.pathname);
    const watch = ['1', 'true'].includes(url.searchParams.get('watch') ?? '');
    const verb = request && verbOf(req.method ?? 'GET', request, watch);
    if (!request || !verb) {
      writeStatus(res, failure(404, 'NotFound', 'the server could not find the requested resource', {}));
      return;
    }
    const { info, namespace, name, subresource } = request;
    if (!ctx.access.allowed(user, { verb, group: info.group, resource: info.plural, subresource, namespace, name })) {
      throw forbidden({ user: user.name, verb, info, subresource, namespace, name });
    }
    await dispatch(ctx, user, verb, request, req, res, url);
  } catch (err) {
    writeError(res, err, ctx.log);
  }
}

async function dispatch(ctx: RestContext, user: SimUser, verb: Verb, request: ResourceRequest, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const { info, namespace, name, subresource } = request;
  if (subresource && !(subresource === 'status' && info.hasStatus) && !(info.kind === 'Pod' && (subresource === 'log' || subresource === 'portforward'))) {
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
  if (info.virtual) {
    if (verb !== 'create') throw methodNotAllowed();
    const body = ((await readObject(req)) ?? {}) as { spec?: { resourceAttributes?: Record<string, string> } };
    const a = body.spec?.resourceAttributes ?? {};
    const status = ctx.access.review(user, { verb: a.verb ?? '', group: a.group ?? '', resource: a.resource ?? '', subresource: a.subresource || undefined, namespace: a.namespace || undefined, name: a.name || undefined });
    writeJson(res, 201, { kind: info.kind, apiVersion: info.apiVersion, metadata: { creationTimestamp: null }, spec: body.spec ?? {}, status });
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
      const created = ctx.api.create(info, namespace, body, writeOptions(req, url, request, warnings));
      writeJson(res, 201, created, warningHeaders(warnings));
      return;
    }
    case 'update': {
      const body = await readObject(req);
      writeJson(res, 200, ctx.api.update(info, namespace, name ?? '', body, writeOptions(req, url, request, warnings)), warningHeaders(warnings));
      return;
    }
    case 'patch': {
      const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim();
      const type = patchTypes[contentType];
      const body = parseBody(await readBody(req), type === 'apply');
      const options = { ...writeOptions(req, url, request, warnings), force: url.searchParams.get('force') === 'true' };
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
