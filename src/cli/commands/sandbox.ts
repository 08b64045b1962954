/**
 * `tether sandbox up|status|list|down`: the same sandboxes as the editor's (labels, Lease, agent),
 * from tether.yaml or from the command line alone (--fork, --preview, --ttl, --name: the CI case).
 */
import type { Command } from 'commander';
import { sandboxFor } from '../../engine/preview';
import { sandboxDown } from '../../engine/sandboxDown';
import { sandboxUp } from '../../engine/sandboxUp';
import { locateSandbox, sandboxDetails, sandboxListing, sandboxReport } from '../../engine/status';
import { workspaceSpec } from '../../engine/workspace';
import { sandboxNameProblem } from '../../sandbox/names';
import type { CliRun, GlobalOptions } from '../cliRun';
import { listLines, statusLines, upLines } from '../cliText';
import { exitCode, UsageError } from '../failures';
import { specFromFlags } from '../forkFlags';
import { action, withCommonOptions, type CommandHost } from '../program';

interface NamedOptions extends GlobalOptions {
  name?: string;
}

interface UpOptions extends NamedOptions {
  fork?: string[];
  preview?: string;
  ttl?: string;
  baseline?: string;
  share?: boolean;
  takeOver?: boolean;
  timeout?: string;
}

interface DownOptions extends NamedOptions {
  takeOver?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** --name as given, when it can name a sandbox. */
export function nameOption(name: string | undefined): string | undefined {
  const problem = name === undefined ? undefined : sandboxNameProblem(name);
  if (problem) throw new UsageError(`--name: ${problem}`);
  return name;
}

/** The sandbox a command is about: --name, else the workspace's own (`<developer>-<branch>`). */
async function sandboxName(cli: CliRun, options: NamedOptions): Promise<string> {
  return (await sandboxFor(cli.engine, cli.workspace(), nameOption(options.name))).sandbox;
}

function print(cli: CliRun, options: GlobalOptions, value: unknown, lines: string[]): void {
  cli.io.out(options.json ? `${JSON.stringify(value)}\n` : `${lines.join('\n')}\n`);
}

async function up(cli: CliRun, options: UpOptions): Promise<number> {
  nameOption(options.name);
  const workspace = cli.workspace();
  const text = await workspace.readSpec();
  if (text === undefined && options.spec) throw new UsageError(`--spec ${options.spec}: no such file`);
  const base = text === undefined ? undefined : await workspaceSpec(workspace, 'Bring up the sandbox');
  const client = cli.client();
  const spec = specFromFlags(base, options, { name: options.name ?? 'sandbox', baselineNamespace: client.defaultNamespace });
  const local = spec.forks.filter((f) => f.mode === 'local').map((f) => f.workload.name);
  if (local.length > 0) throw new UsageError(`${local.join(', ')} ${local.length === 1 ? 'is a local fork' : 'are local forks'}: those need the tunnel \`tether preview\` keeps running; fork ${local.length === 1 ? 'it' : 'them'} with --fork NAME=image:REF or --fork NAME=env:K=V here`);
  const timeout = options.timeout ? Number(options.timeout) : 300;
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout "${options.timeout}": expected seconds`);
  const result = await sandboxUp(cli.engine, client, {
    context: cli.context(),
    spec,
    workspace,
    sandbox: options.name,
    takeOver: options.takeOver,
    share: options.share,
    readyTimeoutMs: timeout * 1000,
    onProgress: (m) => cli.progress.update(m),
    signal: cli.signal,
  });
  cli.progress.dispose();
  print(cli, options, result, upLines(result));
  return exitCode.ok;
}

async function status(cli: CliRun, options: NamedOptions): Promise<number> {
  const client = cli.client();
  const name = await sandboxName(cli, options);
  const summary = await locateSandbox(cli.engine, client, name, `Read sandbox "${name}"`, cli.signal);
  const report = sandboxReport(cli.context(), summary, undefined, await sandboxDetails(client, summary, cli.signal));
  print(cli, options, report, statusLines(report));
  return exitCode.ok;
}

async function list(cli: CliRun, options: GlobalOptions): Promise<number> {
  const listing = await sandboxListing(cli.engine, cli.client(), cli.signal);
  const context = cli.context();
  const reports = [...listing.mine, ...listing.others, ...listing.orphans].map((s) => sandboxReport(context, s));
  print(cli, options, { context, sandboxes: reports, ...(listing.partial ? { partial: listing.partial } : {}) }, listLines(context, listing, cli.engine.host.clock.now()));
  return exitCode.ok;
}

async function down(cli: CliRun, options: DownOptions): Promise<number> {
  const name = await sandboxName(cli, options);
  const result = await sandboxDown(cli.engine, cli.client(), { sandbox: name, takeOver: options.takeOver, onProgress: (m) => cli.progress.update(m), signal: cli.signal });
  cli.progress.dispose();
  const said = result.namespace ? `Sandbox "${name}" deleted (${result.deleted.length} object${result.deleted.length === 1 ? '' : 's'}).` : `There is no sandbox "${name}": nothing to delete.`;
  print(cli, options, { context: cli.context(), ...result }, [said]);
  return exitCode.ok;
}

export function registerSandbox(program: Command, host: CommandHost): void {
  const sandbox = program.command('sandbox').description('bring sandboxes up and down, and see them (the same sandboxes as the editor\'s)');
  withCommonOptions(
    sandbox
      .command('up')
      .description('apply a sandbox with image and env forks and wait until they are ready; it stays until `down` or its TTL')
      .option('--name <name>', 'the sandbox\'s name (default: <developer>-<branch>), e.g. pr-42')
      .option('--fork <workload=mode:value>', 'fork a workload: api=image:REF, web=env:NAME=VALUE, statefulset/db=image:REF (repeatable)', collect)
      .option('--preview <service>', 'where the preview enters: SERVICE[:PORT][/PATH] (without a tether.yaml)')
      .option('--baseline <namespace>', 'the baseline namespace (default: tether.yaml\'s, else the context\'s)')
      .option('--ttl <duration>', 'how long it lives after this, e.g. 4h (default: tether.yaml\'s, else 2h)')
      .option('--share', 'sign a shareable link (needs TETHER_PREVIEW_DOMAIN)')
      .option('--take-over', 'bring it up even while another editor window, terminal or agent runs it')
      .option('--timeout <seconds>', 'how long the forks may take to be ready', '300'),
    { spec: true },
  ).action(action<UpOptions>(host, (cli, options) => up(cli, options)));
  withCommonOptions(sandbox.command('status').description('one sandbox: its state, TTL, holder, forks, pods and recent events').option('--name <name>', 'the sandbox (default: the workspace\'s own)'), { spec: true }).action(
    action<NamedOptions>(host, (cli, options) => status(cli, options)),
  );
  withCommonOptions(sandbox.command('list').description('every sandbox you can see: yours, others\' and orphans')).action(action<GlobalOptions>(host, (cli, options) => list(cli, options)));
  withCommonOptions(
    sandbox
      .command('down')
      .description('delete one of your sandboxes now (nothing to do when it is not there)')
      .option('--name <name>', 'the sandbox (default: the workspace\'s own)')
      .option('--take-over', 'delete it even while another editor window, terminal or agent runs it'),
    { spec: true },
  ).action(action<DownOptions>(host, (cli, options) => down(cli, options)));
}
