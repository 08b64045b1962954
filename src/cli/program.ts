/**
 * The pieces every CLI command shares: the options all of them take, and running an action with a
 * CliRun that is disposed afterwards, its failure explained (stderr, and stdout as JSON with
 * --json) and turned into the exit code.
 */
import { Command, CommanderError, Option } from 'commander';
import { cliRunFor, type CliRunFactory } from './cliRunFactory';
import type { CliRun, GlobalOptions } from './cliRun';
import { isCancellation } from '../kube/errors';
import { exitCode, exitCodeOf, failureJson, failureText, interruptedJson, UsageError } from './failures';
import type { CliIo } from './io';
import { MissingPathError } from '../manifests/yamlFiles';

export interface CliState {
  exitCode: number;
}

export interface CommandHost {
  io: CliIo;
  state: CliState;
  /** Makes the CliRun of one command (tests inject the host seams through it). */
  newRun: CliRunFactory;
}

/** --context, --kubeconfig, --json, --verbose; `spec` adds --spec. */
export function withCommonOptions(command: Command, options: { spec?: boolean; json?: boolean } = {}): Command {
  command.option('--context <name>', 'kubeconfig context (default: TETHER_CONTEXT, else the current context)').option('--kubeconfig <path>', 'kubeconfig file(s) (default: TETHER_KUBECONFIG, KUBECONFIG, ~/.kube/config)');
  if (options.spec) command.option('--spec <file>', 'the tether.yaml to use (default: ./tether.yaml)');
  if (options.json !== false) command.option('--json', 'print the result as one JSON object on stdout');
  return command.addOption(new Option('--verbose', 'log what the engine does to stderr (secrets redacted)'));
}

/** The usage error as people read it, with the command's usage. */
export function usageText(command: Command, message: string): string {
  return `tether: ${message.replace(/^error: /, '')}\n\n${command.helpInformation()}`;
}

/** `interrupted`: the user stopped the command (Ctrl+C, SIGTERM), so a cancellation is no failure to explain. */
export function reportFailure(io: CliIo, command: Command, err: unknown, json: boolean, interrupted = false): number {
  if (interrupted && isCancellation(err)) {
    if (json) io.out(`${JSON.stringify(interruptedJson)}\n`);
    return exitCode.interrupted;
  }
  const code = exitCodeOf(err);
  if (err instanceof UsageError || err instanceof MissingPathError) io.err(usageText(command, err.message));
  else if (!(err instanceof CommanderError)) io.err(`${failureText(err)}\n`);
  if (json) io.out(`${JSON.stringify(failureJson(err))}\n`);
  return code;
}

/** The action of a command: `run` gets the CliRun, the options and the operands, and returns the exit code. */
export function action<O extends GlobalOptions>(host: CommandHost, run: (cli: CliRun, options: O, operands: string[], command: Command) => Promise<number>) {
  return async (...args: unknown[]): Promise<void> => {
    const command = args.at(-1) as Command;
    const options = command.opts<O>();
    const cli = cliRunFor(host, options);
    try {
      host.state.exitCode = await run(cli, options, command.args, command);
    } catch (err) {
      host.state.exitCode = reportFailure(host.io, command, err, Boolean(options.json), cli.signal.aborted);
    } finally {
      cli.dispose();
    }
  };
}
