/**
 * Kubeconfig loading with kubectl's rules: KUBECONFIG may list several files (path.delimiter);
 * missing files in that list are skipped; for clusters, users and contexts the first file that
 * defines a name wins, and so does the first `current-context`. Without KUBECONFIG,
 * ~/.kube/config. Relative certificate paths resolve against the file that names them.
 *
 * Authentication itself (exec plugins, tokens, token files, client certs, OIDC) stays with
 * @kubernetes/client-node's KubeConfig; `kubeConfigForContext` gives each client its own
 * KubeConfig so clients for different contexts never share a mutable current context.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { newKubeConfig } from './kubeConfigModule';
import {
  newClusters,
  newContexts,
  newUsers,
  type Cluster,
  type Context,
  type User,
} from '@kubernetes/client-node/dist/config_types.js';
import { ExplainedError } from './errors';

export interface ContextSummary {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  /** '' when the context names a cluster that no file defines (see `problem`). */
  server: string;
  /** Set when the context cannot be used as written, e.g. it names a missing cluster or user. */
  problem?: string;
}

export interface LoadedKubeconfig {
  /** Files that were read, in merge order. */
  files: string[];
  contexts: ContextSummary[];
  currentContext?: string;
  /** Every cluster, user and context merged; use `kubeConfigForContext` to talk to one of them. */
  kubeConfig: KubeConfig;
}

/**
 * Where the list of kubeconfig files came from, so a remedy says where to change it: the
 * editor's `tether.kubeconfig` setting, the KUBECONFIG variable, or kubectl's default file.
 */
export type KubeconfigOrigin = 'setting' | 'KUBECONFIG' | 'default';

/** The environment kubeconfig lookup sees, and where its KUBECONFIG came from. */
export interface KubeconfigLookup {
  env: NodeJS.ProcessEnv;
  origin: KubeconfigOrigin;
}

/** The lookup for an environment nobody overrode: KUBECONFIG when set, else kubectl's default. */
export function environmentLookup(env: NodeJS.ProcessEnv = process.env): KubeconfigLookup {
  return { env, origin: env.KUBECONFIG ? 'KUBECONFIG' : 'default' };
}

const settingName = 'tether.kubeconfig';

const getKubeconfigRemedy =
  'Get a kubeconfig from your cluster provider (for example `gcloud container clusters get-credentials`, ' +
  '`aws eks update-kubeconfig`, `az aks get-credentials`, or `kind create cluster`), or point KUBECONFIG at one';

/** The files kubectl would read for this environment. */
export function kubeconfigPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.KUBECONFIG) {
    return [...new Set(env.KUBECONFIG.split(path.delimiter).filter((p) => p.trim() !== ''))];
  }
  const home = env.HOME || env.USERPROFILE || homedir();
  return [path.join(home, '.kube', 'config')];
}

interface ParsedFile {
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext?: string;
}

/** The way out of a broken file besides fixing it, named after where the file came from (a front door's setting: its next step). */
function leaveOut(origin: Exclude<KubeconfigOrigin, 'setting'>): string {
  switch (origin) {
    case 'KUBECONFIG':
      return 'or remove it from KUBECONFIG';
    case 'default':
      return "or point KUBECONFIG at another kubeconfig (this one is kubectl's default, ~/.kube/config)";
  }
}

function invalid(file: string, why: string, origin: KubeconfigOrigin, cause?: unknown): ExplainedError {
  return new ExplainedError(
    {
      reason: 'InvalidKubeconfig',
      what: `Read kubeconfig ${file}`,
      why,
      remedy: `Fix ${file} (\`kubectl config view --kubeconfig ${file}\` shows how kubectl reads it)${origin === 'setting' ? '' : `, ${leaveOut(origin)}`}`,
      ...(origin === 'setting' ? { step: { code: 'pickKubeconfig' as const } } : {}),
    },
    { cause },
  );
}

function parseFile(file: string, text: string, origin: KubeconfigOrigin): ParsedFile {
  const doc = parseDocument(text);
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0];
    const where = line ? `line ${line.line}, column ${line.col}` : 'an unknown position';
    const message = yamlError.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw invalid(file, `it is not valid YAML at ${where}: ${message}`, origin, yamlError);
  }
  const raw: unknown = doc.toJS();
  if (raw == null) return { clusters: [], users: [], contexts: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalid(file, 'it is not a kubeconfig: the top level must be a mapping with clusters, users and contexts', origin);
  }
  const obj = raw as Record<string, unknown>;
  for (const key of ['clusters', 'users', 'contexts'] as const) {
    if (obj[key] != null && !Array.isArray(obj[key])) throw invalid(file, `"${key}" must be a list`, origin);
  }
  try {
    const parsed: ParsedFile = {
      clusters: newClusters(obj.clusters),
      users: newUsers(obj.users),
      contexts: newContexts(obj.contexts),
      currentContext: typeof obj['current-context'] === 'string' && obj['current-context'] ? obj['current-context'] : undefined,
    };
    const dir = path.dirname(path.resolve(file));
    for (const cluster of parsed.clusters) if (cluster.caFile) cluster.caFile = path.resolve(dir, cluster.caFile);
    for (const user of parsed.users) {
      if (user.certFile) user.certFile = path.resolve(dir, user.certFile);
      if (user.keyFile) user.keyFile = path.resolve(dir, user.keyFile);
      // Like client-go: an exec command given as a relative path is relative to its kubeconfig.
      const exec = user.exec as { command?: unknown } | undefined;
      if (typeof exec?.command === 'string' && /[\\/]/.test(exec.command) && !path.isAbsolute(exec.command)) {
        exec.command = path.resolve(dir, exec.command);
      }
    }
    return parsed;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw invalid(file, message, origin, err);
  }
}

function mergeFirstWins<T extends { name: string }>(into: Map<string, T>, items: T[]): void {
  for (const item of items) if (!into.has(item.name)) into.set(item.name, item);
}

function describeProblem(ctx: Context, clusters: Map<string, Cluster>, users: Map<string, User>): string | undefined {
  const missing: string[] = [];
  if (!clusters.has(ctx.cluster)) missing.push(`cluster "${ctx.cluster}"`);
  if (ctx.user && !users.has(ctx.user)) missing.push(`user "${ctx.user}"`);
  if (missing.length === 0) return undefined;
  return `context "${ctx.name}" names ${missing.join(' and ')}, which no kubeconfig file defines`;
}

/**
 * Reads and merges the kubeconfig files for `env`; `origin` (where its KUBECONFIG came from)
 * shapes the remedies. Throws ExplainedError `NoKubeconfig` when no
 * file exists or none defines a context, `InvalidKubeconfig` for YAML or structure errors (with
 * file and line). Contexts that name a missing cluster or user are listed with `problem` set;
 * `kubeConfigForContext` refuses them with `InvalidKubeconfig`.
 */
export function loadKubeconfig(env: NodeJS.ProcessEnv = process.env, origin: KubeconfigOrigin = environmentLookup(env).origin): LoadedKubeconfig {
  const candidates = kubeconfigPaths(env);
  const files = candidates.filter((file) => existsSync(file));
  if (files.length === 0) {
    const fromSetting = origin === 'setting';
    throw new ExplainedError({
      reason: 'NoKubeconfig',
      what: 'Find a kubeconfig',
      why: fromSetting
        ? `the ${settingName} setting names ${candidates.length === 1 ? 'a file that does not exist' : 'files none of which exist'} (${candidates.join(', ')})`
        : env.KUBECONFIG
          ? `none of the files in KUBECONFIG exist (${candidates.join(', ')})`
          : `there is no kubeconfig at ${candidates[0]} and KUBECONFIG is not set`,
      remedy: fromSetting ? '' : getKubeconfigRemedy,
      ...(fromSetting ? { step: { code: 'pickKubeconfig' as const } } : {}),
    });
  }
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext: string | undefined;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw invalid(file, `it cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, origin, err);
    }
    const parsed = parseFile(file, text, origin);
    mergeFirstWins(clusters, parsed.clusters);
    mergeFirstWins(users, parsed.users);
    mergeFirstWins(contexts, parsed.contexts);
    currentContext ??= parsed.currentContext;
  }
  if (contexts.size === 0) {
    throw new ExplainedError({
      reason: 'NoKubeconfig',
      what: 'Find a kubeconfig context',
      why: `${files.join(', ')} define${files.length === 1 ? 's' : ''} no contexts`,
      remedy: getKubeconfigRemedy,
    });
  }
  const kubeConfig = newKubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext,
  });
  const summaries: ContextSummary[] = [...contexts.values()].map((ctx) => {
    const summary: ContextSummary = {
      name: ctx.name,
      cluster: ctx.cluster,
      user: ctx.user ?? '',
      server: clusters.get(ctx.cluster)?.server ?? '',
    };
    if (ctx.namespace) summary.namespace = ctx.namespace;
    const problem = describeProblem(ctx, clusters, users);
    if (problem) summary.problem = problem;
    return summary;
  });
  return {
    files,
    contexts: summaries,
    currentContext: currentContext && contexts.has(currentContext) ? currentContext : undefined,
    kubeConfig,
  };
}

export interface ResolvedContext {
  context: Context;
  cluster: Cluster;
  user: User;
  /** A KubeConfig holding only this context, ready for applyToHTTPSOptions (exec plugins excepted). */
  kubeConfig: KubeConfig;
}

/** Isolates one context. Throws `UnknownContext` or `InvalidKubeconfig` (dangling references). */
export function kubeConfigForContext(config: LoadedKubeconfig, name: string): ResolvedContext {
  const kc = config.kubeConfig;
  const context = kc.getContextObject(name);
  if (!context) {
    const known = config.contexts.map((c) => c.name);
    throw new ExplainedError({
      reason: 'UnknownContext',
      what: `Use context "${name}"`,
      why: `no kubeconfig file defines a context named "${name}"${known.length ? ` (known: ${known.join(', ')})` : ''}`,
      remedy: 'Pick one of the known contexts, or add it to your kubeconfig (`kubectl config get-contexts` lists them)',
    });
  }
  const cluster = kc.getCluster(context.cluster);
  const user = context.user ? kc.getUser(context.user) : { name: '' };
  if (!cluster || !user) {
    throw new ExplainedError({
      reason: 'InvalidKubeconfig',
      what: `Use context "${name}"`,
      why: describeProblem(context, new Map(kc.getClusters().map((c) => [c.name, c])), new Map(kc.getUsers().map((u) => [u.name, u]))) ?? 'the context is incomplete',
      remedy: `Add the missing entry to one of ${config.files.join(', ')}, or fix the context with \`kubectl config set-context ${name} --cluster=… --user=…\``,
    });
  }
  // Exec plugins are run by exec-credential.ts (caching, deadline, KUBERNETES_EXEC_INFO), so the
  // isolated KubeConfig carries every other kind of auth but not the exec section.
  const authUser: User = user.exec ? { ...user, exec: undefined } : user;
  const isolated = newKubeConfig();
  isolated.loadFromOptions({ clusters: [cluster], users: [authUser], contexts: [context], currentContext: name });
  return { context, cluster, user, kubeConfig: isolated };
}
