/**
 * `tether checks run`: the checks of tether.yaml as Jobs in the sandbox, against its preview, each
 * one's state on stderr as it changes, the results on stdout (or --json), a JUnit report with
 * --junit; exit 1 when one fails.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { runChecks } from '../../engine/checks';
import { sandboxFor } from '../../engine/preview';
import { checksOutput } from '../../engine/tools/toolResults';
import { workspaceSpec } from '../../engine/workspace';
import type { CliRun, GlobalOptions } from '../cliRun';
import { checkLine } from '../cliText';
import { exitCode } from '../failures';
import { junitReport } from '../junit';
import { action, withCommonOptions, type CommandHost } from '../program';
import { nameOption } from './sandbox';

interface ChecksOptions extends GlobalOptions {
  name?: string;
  junit?: string;
}

async function run(cli: CliRun, options: ChecksOptions): Promise<number> {
  const workspace = cli.workspace();
  const spec = await workspaceSpec(workspace, 'Run the checks');
  const { sandbox } = await sandboxFor(cli.engine, workspace, nameOption(options.name));
  const result = await runChecks(cli.engine, cli.client(), {
    spec,
    sandbox,
    signal: cli.signal,
    onUpdate: (p) => (p.state === 'running' ? cli.progress.update(`Running check ${p.name}…`) : p.state !== 'pending' ? cli.progress.note(checkLine(p)) : undefined),
  });
  cli.progress.dispose();
  if (options.junit) await writeFile(resolve(cli.io.cwd, options.junit), junitReport(result));
  const summary = `Checks of "${result.sandbox}": ${result.passed} passed, ${result.failed} failed${result.cancelled ? ', some cancelled' : ''} in ${(result.durationMs / 1000).toFixed(1)} s.`;
  cli.io.out(options.json ? `${JSON.stringify(checksOutput(result))}\n` : `${[...result.checks.map(checkLine), summary].join('\n')}\n`);
  if (result.cancelled && cli.signal.aborted) return exitCode.interrupted;
  return result.failed > 0 || result.cancelled ? exitCode.failed : exitCode.ok;
}

export function registerChecks(program: Command, host: CommandHost): void {
  const checks = program.command('checks').description("the sandbox's checks (tether.yaml's checks: section)");
  withCommonOptions(
    checks
      .command('run')
      .description('run the checks as Jobs in the sandbox against its preview; exit 1 when one fails')
      .option('--name <name>', 'the sandbox (default: the workspace\'s own), e.g. pr-42')
      .option('--junit <file>', 'also write a JUnit XML report for CI'),
    { spec: true },
  ).action(action<ChecksOptions>(host, (cli, options) => run(cli, options)));
}
