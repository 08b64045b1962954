/**
 * `tether schedule FILE`: "will it schedule?" for the pod templates of a manifest, against the
 * cluster now, per node; exit 1 when one cannot.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { willItSchedule } from '../../engine/schedule';
import { scheduleOutput } from '../../engine/tools/toolResults';
import type { CliRun, GlobalOptions } from '../cliRun';
import { exitCode, UsageError } from '../failures';
import { action, withCommonOptions, type CommandHost } from '../program';

interface ScheduleOptions extends GlobalOptions {
  index?: string;
}

async function run(cli: CliRun, options: ScheduleOptions, [file]: string[]): Promise<number> {
  const text = await readFile(resolve(cli.io.cwd, file), 'utf8').catch(() => {
    throw new UsageError(`no such file: ${file}`);
  });
  const index = options.index === undefined ? undefined : Number(options.index);
  if (index !== undefined && !(Number.isInteger(index) && index >= 0)) throw new UsageError(`--index "${options.index}": expected the 0-based position of a document`);
  const client = cli.client();
  cli.progress.update(`Reading the nodes, pods and quotas of ${cli.context()}…`);
  const verdicts = await willItSchedule(client, { text, context: cli.context(), defaultNamespace: client.defaultNamespace, index, now: new Date(cli.engine.host.clock.now()), signal: cli.signal });
  cli.progress.dispose();
  if (verdicts.length === 0) throw new UsageError(`${file} has no ${index === undefined ? '' : `document ${index} with a `}Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob to check`);
  const out = scheduleOutput(cli.context(), verdicts);
  cli.io.out(options.json ? `${JSON.stringify(out)}\n` : `${verdicts.map((v) => v.report.trimEnd()).join('\n\n---\n\n')}\n`);
  return verdicts.every((v) => v.fits) ? exitCode.ok : exitCode.failed;
}

export function registerSchedule(program: Command, host: CommandHost): void {
  withCommonOptions(
    program
      .command('schedule')
      .description('will the pod templates of a manifest schedule on the cluster now? per node; exit 1 when one cannot')
      .argument('<file>', 'a Kubernetes manifest (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob)')
      .option('--index <n>', 'only the template of this document (0-based)'),
  ).action(action<ScheduleOptions>(host, (cli, options, operands) => run(cli, options, operands)));
}
