/**
 * tether-lint: the manifest diagnostics engine on the command line, for CI.
 *
 *   tether-lint [--format text|json|sarif] [--kubernetes-version 1.30] [--pod-security auto] [--disable id,id] [--openapi file]
 *               [--context name [--kubeconfig path]] <files or folders>
 *
 * Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error or unreachable cluster.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { KubeClient } from '../kube/api';
import { ClusterSchemaCache } from '../kube/clusterSchema';
import { loadKubeconfig } from '../kube/config';
import { ExplainedError } from '../kube/errors';
import { ManifestLinter, type LintFile } from '../manifests/validate';
import { format, type OutputFormat } from '../manifests/output';
import { ALL_RULES } from '../manifests/rules/index';
import { bundledSchema, SchemaIndex } from '../manifests/schema/index';
import { schemaFromOpenApi, type OpenApiDocument } from '../manifests/schema/openapi';
import type { LintOptions } from '../manifests/types';
import { findYamlFiles, MissingPathError } from '../manifests/yamlFiles';

const VERSION = '0.1.0';

const USAGE = `Usage: tether-lint [options] <files or folders>

Validates Kubernetes YAML: schema, the API server's own validation, GPU, workload, API-version and
Pod Security rules.

Options:
  --format text|json|sarif     output format (default: text)
  --kubernetes-version X.Y     target Kubernetes version: the API versions it serves and how its API server
                               validates (default: the cluster's with --context, else the bundled schema's)
  --pod-security MODE          auto|restricted|baseline|summary: list Pod Security findings (auto: where the
                               cluster's namespace enforces or warns; elsewhere one summary line per workload)
  --disable id[,id...]         turn rules off
  --openapi FILE               add schemas (CRDs) from a saved /openapi/v3 document (.json or .json.gz); repeatable
  --context NAME               validate against a live cluster: its /openapi/v3 schema (version and CRDs)
                               and its nodes (cluster-aware GPU rules); a kubeconfig context name
  --kubeconfig PATH            the kubeconfig to read (default: KUBECONFIG, then ~/.kube/config);
                               without --context, its current context is used
  --list-rules                 print the rules and exit
  -h, --help                   show this help

Exit codes: 0 no errors, 1 errors found, 2 usage error or the cluster could not be read.
`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

class UsageError extends Error {}

interface Args {
  format: OutputFormat;
  openapi: string[];
  context?: string;
  kubeconfig?: string;
  options: LintOptions;
  paths: string[];
  listRules: boolean;
  help: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { format: 'text', openapi: [], options: { rules: {} }, paths: [], listRules: false, help: false };
  const known = new Set(ALL_RULES.map((r) => r.id));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format': {
        const f = value();
        if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not "${f}"`);
        args.format = f;
        break;
      }
      case '--kubernetes-version':
        args.options.kubernetesVersion = value();
        if (!/^v?\d+\.\d+/.test(args.options.kubernetesVersion)) throw new UsageError(`--kubernetes-version must look like 1.30, not "${args.options.kubernetesVersion}"`);
        break;
      case '--pod-security': {
        const m = value();
        if (m !== 'auto' && m !== 'restricted' && m !== 'baseline' && m !== 'summary') throw new UsageError(`--pod-security must be auto, restricted, baseline or summary, not "${m}"`);
        args.options.podSecurity = m;
        break;
      }
      case '--disable':
        for (const id of value().split(',').map((s) => s.trim()).filter(Boolean)) {
          if (!known.has(id)) throw new UsageError(`--disable: no rule "${id}" (see --list-rules)`);
          args.options.rules![id] = 'off';
        }
        break;
      case '--openapi':
        args.openapi.push(value());
        break;
      case '--context':
        args.context = value();
        break;
      case '--kubeconfig':
        args.kubeconfig = value();
        break;
      case '--list-rules':
        args.listRules = true;
        break;
      case '-h':
      case '--help':
        args.help = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        args.paths.push(a);
    }
  }
  return args;
}

async function collect(paths: readonly string[]): Promise<LintFile[]> {
  try {
    return (await findYamlFiles(paths)).map((p) => ({ path: p, text: readFileSync(p, 'utf8') }));
  } catch (err) {
    if (err instanceof MissingPathError) throw new UsageError(err.message);
    throw err;
  }
}

/** The base schema (bundled, or a cluster's), extended with the schemas of saved /openapi/v3 documents. */
function loadSchema(files: readonly string[], base: SchemaIndex = bundledSchema()): SchemaIndex {
  if (files.length === 0) return base;
  const docs = files.map((f) => {
    try {
      const raw = readFileSync(f);
      return JSON.parse((f.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')) as OpenApiDocument;
    } catch (err) {
      throw new UsageError(`--openapi ${f}: cannot read it as an OpenAPI v3 JSON document (${err instanceof Error ? err.message : String(err)})`);
    }
  });
  const set = schemaFromOpenApi(docs);
  if (Object.keys(set.kinds).length === 0) throw new UsageError(`--openapi: no kinds (x-kubernetes-group-version-kind) in ${files.join(', ')}`);
  return base.with(set);
}

/** What validating against a live cluster adds: its schema and, when nodes may be listed, its node facts. */
async function clusterTarget(args: Args, io: CliIo): Promise<{ schema: SchemaIndex; options: LintOptions }> {
  const env = args.kubeconfig ? { ...process.env, KUBECONFIG: path.resolve(args.kubeconfig) } : process.env;
  const config = loadKubeconfig(env);
  const context = args.context ?? config.currentContext;
  if (!context) throw new UsageError(`${config.files.join(', ')} name${config.files.length === 1 ? 's' : ''} no current context; pass --context`);
  const client = KubeClient.forContext(config, context);
  try {
    const data = await new ClusterSchemaCache().get(client);
    if (!data.facts) io.err(`tether-lint: may not list the nodes of context "${context}": the cluster-aware GPU rules are off\n`);
    return { schema: new SchemaIndex(data.schema), options: data.facts ? { ...args.options, cluster: data.facts } : args.options };
  } finally {
    client.dispose();
  }
}

/** Runs the CLI and returns its exit code; output goes through io. */
export async function runLint(argv: readonly string[], io: CliIo): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
    if (args.help) {
      io.out(USAGE);
      return 0;
    }
    if (args.listRules) {
      for (const r of ALL_RULES) io.out(`${r.id.padEnd(30)} ${r.severity.padEnd(8)} ${r.doc}\n`);
      return 0;
    }
    if (args.paths.length === 0) throw new UsageError('no files or folders given');
    const files = await collect(args.paths);
    const live = args.context !== undefined || args.kubeconfig !== undefined ? await clusterTarget(args, io) : undefined;
    const linter = new ManifestLinter(live?.options ?? args.options, loadSchema(args.openapi, live?.schema));
    const reports = linter.lint(files);
    io.out(format(reports, args.format, VERSION));
    return reports.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
  } catch (err) {
    if (err instanceof UsageError || (err instanceof Error && /Kubernetes version/.test(err.message))) {
      io.err(`tether-lint: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ExplainedError) {
      io.err(`tether-lint: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

const invokedDirectly = /(?:^|[\\/])(?:lint\.[cm]?[jt]s|tether-lint(?:\.[cm]?js)?)$/.test(process.argv[1] ?? '');
if (invokedDirectly) {
  void runLint(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  }).then((code) => {
    process.exitCode = code;
  });
}
