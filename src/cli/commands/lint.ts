/**
 * `tether lint` (and `tether-lint`, its alias): the manifest diagnostics engine on the command
 * line, for CI. text, json or SARIF; against the bundled schema, saved /openapi/v3 documents, or a
 * live cluster (--context / --kubeconfig: its schema and nodes). Exit 1 on errors (warnings alone
 * pass).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Option, type Command } from 'commander';
import { clusterLintTarget, lint, readLintFiles } from '../../engine/lint';
import { format, type OutputFormat } from '../../manifests/output';
import { ALL_RULES } from '../../manifests/rules/index';
import { bundledSchema, type SchemaIndex } from '../../manifests/schema/index';
import { schemaFromOpenApi, type OpenApiDocument } from '../../manifests/schema/openapi';
import type { LintOptions, PodSecurityMode } from '../../manifests/types';
import type { CliRun, GlobalOptions } from '../cliRun';
import { exitCode, UsageError } from '../failures';
import { action, type CommandHost } from '../program';

export const lintToolVersion = '0.1.0';

interface LintCliOptions extends GlobalOptions {
  format: OutputFormat;
  kubernetesVersion?: string;
  podSecurity?: PodSecurityMode;
  disable?: string[];
  openapi?: string[];
  listRules?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The base schema (bundled, or a cluster's), extended with the schemas of saved /openapi/v3 documents. */
function withOpenApi(files: readonly string[], base: SchemaIndex): SchemaIndex {
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

function optionsOf(cli: LintCliOptions): LintOptions {
  const options: LintOptions = { rules: {} };
  if (cli.kubernetesVersion !== undefined) {
    if (!/^v?\d+\.\d+/.test(cli.kubernetesVersion)) throw new UsageError(`--kubernetes-version must look like 1.30, not "${cli.kubernetesVersion}"`);
    options.kubernetesVersion = cli.kubernetesVersion;
  }
  if (cli.podSecurity !== undefined) options.podSecurity = cli.podSecurity;
  const known = new Set(ALL_RULES.map((r) => r.id));
  for (const id of (cli.disable ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean)) {
    if (!known.has(id)) throw new UsageError(`--disable: no rule "${id}" (see --list-rules)`);
    options.rules![id] = 'off';
  }
  return options;
}

async function run(cli: CliRun, options: LintCliOptions, paths: string[]): Promise<number> {
  if (options.listRules) {
    cli.io.out(ALL_RULES.map((r) => `${r.id.padEnd(30)} ${r.severity.padEnd(8)} ${r.doc}\n`).join(''));
    return exitCode.ok;
  }
  if (paths.length === 0) throw new UsageError('no files or folders given');
  let lintOptions = optionsOf(options);
  // Paths stay as given (the report names them so) unless the CLI runs for another folder.
  const files = await readLintFiles(paths.map((p) => (resolve(cli.io.cwd, p) === resolve(p) ? p : resolve(cli.io.cwd, p))));
  let schema = bundledSchema();
  if (options.context !== undefined || options.kubeconfig !== undefined) {
    const live = await clusterLintTarget(cli.client(), lintOptions);
    if (live.withoutNodes) cli.io.err(`tether lint: may not list the nodes of context "${cli.context()}": the cluster-aware GPU rules are off\n`);
    schema = live.schema;
    lintOptions = live.options;
  }
  const reports = lint(files, lintOptions, withOpenApi(options.openapi ?? [], schema));
  cli.io.out(format(reports, options.format, lintToolVersion));
  return reports.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? exitCode.failed : exitCode.ok;
}

export function registerLint(program: Command, host: CommandHost): Command {
  return program
    .command('lint')
    .description("check Kubernetes YAML: schema, the API server's own validation, GPU, workload, API-version and Pod Security rules; exit 1 on errors")
    .argument('[paths...]', 'files or folders (folders are searched for .yaml and .yml)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('--kubernetes-version <x.y>', "target Kubernetes version: the API versions it serves and how its API server validates (default: the cluster's with --context, else the bundled schema's)")
    .addOption(new Option('--pod-security <mode>', "list Pod Security findings (auto: where the cluster's namespace enforces or warns; elsewhere one summary line per workload)").choices(['auto', 'restricted', 'baseline', 'summary']))
    .option('--disable <ids>', 'turn rules off (comma-separated; repeatable)', collect)
    .option('--openapi <file>', 'add schemas (CRDs) from a saved /openapi/v3 document (.json or .json.gz); repeatable', collect)
    .option('--context <name>', "validate against a live cluster: its /openapi/v3 schema (version and CRDs) and its nodes")
    .option('--kubeconfig <path>', 'the kubeconfig to read (without --context: its current context)')
    .option('--list-rules', 'print the rules and exit')
    .option('--verbose', 'log what the engine does to stderr')
    .action(action<LintCliOptions>(host, (cli, options, operands) => run(cli, options, operands)));
}
