/**
 * `tether`: one CLI for people, scripts and CI, over the same engine as the editor. Commands:
 * preview, sandbox up|status|list|down, checks run, lint (also `tether-lint`), schedule, mcp.
 * Results on stdout, progress and explanations on stderr; exit codes 0 ok, 1 a failed check,
 * finding or operation, 2 usage, 3 the cluster unreachable or forbidden, 130 interrupted.
 * Built into one file, dist/tether.js, whose folder also holds the in-cluster bundles.
 */
import { Command, CommanderError } from 'commander';
import { defaultRunFactory, type CliRunFactory } from './cliRunFactory';
import { registerChecks } from './commands/checks';
import { registerLint } from './commands/lint';
import { registerMcp } from './commands/mcp';
import { registerPreview } from './commands/preview';
import { registerSandbox } from './commands/sandbox';
import { registerSchedule } from './commands/schedule';
import { exitCode, exitCodeOf } from './failures';
import { processIo, type CliIo } from './io';
import type { CommandHost } from './program';

export const version = '0.1.0';

const exitCodes = `
Exit codes: 0 ok, 1 a check or finding failed (or the operation did), 2 usage, 3 the cluster is
unreachable or forbids it, 130 interrupted. Settings come from TETHER_* variables
(e.g. TETHER_PREVIEW_DOMAIN, TETHER_SANDBOX_DEVELOPER, TETHER_RELAY_IMAGE), the kubeconfig from
--kubeconfig, TETHER_KUBECONFIG, KUBECONFIG or ~/.kube/config.
`;

export function buildProgram(host: CommandHost): Command {
  const program = new Command('tether')
    .description('Local-to-cluster development on Kubernetes: sandboxes, preview URLs, checks, manifest lint, "will it schedule?", and an MCP server for coding agents.')
    .version(version)
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => host.io.out(text),
      writeErr: (text) => host.io.err(text),
      outputError: (text, write) => write(`tether: ${text.replace(/^error: /, '')}`),
    })
    .addHelpText('after', exitCodes);
  registerPreview(program, host);
  registerSandbox(program, host);
  registerChecks(program, host);
  registerLint(program, host);
  registerSchedule(program, host);
  registerMcp(program, host, version);
  return program;
}

/** Runs the CLI on `argv` (without the node and script paths) and resolves with its exit code. */
export async function runCli(argv: readonly string[], io: CliIo, newRun: CliRunFactory = defaultRunFactory): Promise<number> {
  const host: CommandHost = { io, state: { exitCode: exitCode.ok }, newRun };
  const program = buildProgram(host);
  if (argv.length === 0) {
    io.err(program.helpInformation());
    return exitCode.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return host.state.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return exitCodeOf(err);
    throw err;
  }
}

/** The process's CLI: `tether …`, or `tether-lint …` through its alias. */
export function main(argv: readonly string[]): void {
  // A reader that stops early (`tether sandbox list | head`) closes the pipe: what is left is
  // unread, not a failure to report with a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit();
  });
  void runCli(argv, processIo(__dirname)).then(
    (code) => {
      process.exitCode = code;
      // Anything still open (a socket closing slowly) does not hold the exit up for long.
      setTimeout(() => process.exit(code), 3000).unref();
    },
    (err: unknown) => {
      process.stderr.write(`tether: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(exitCode.failed);
    },
  );
}

if (require.main === module) main(process.argv.slice(2));
