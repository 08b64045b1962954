/**
 * `tether mcp`: the MCP server over stdio, for coding agents (Claude Code, Codex CLI, Cursor, VS
 * Code). Runs until its client closes stdin (or Ctrl+C / SIGTERM), then releases the sandboxes it
 * runs. Nothing but protocol goes to stdout; --verbose logs to stderr.
 */
import type { Command } from 'commander';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CliIo } from '../io';
import { exitCode } from '../failures';
import { createMcpServer } from '../mcp/mcpServer';
import { McpSession, type McpSessionOptions } from '../mcp/mcpSession';
import type { CommandHost } from '../program';

/** Serves until the client goes away or the process is told to stop. */
export async function serveMcp(io: CliIo, options: McpSessionOptions, version: string): Promise<number> {
  const session = new McpSession(io, options);
  const server = createMcpServer(session, version);
  const transport = new StdioServerTransport(io.stdin, io.stdout);
  const ended = new Promise<void>((resolve) => {
    io.stdin.once('end', () => resolve());
    io.stdin.once('close', () => resolve());
    transport.onclose = () => resolve();
  });
  const interrupt = io.onInterrupt(() => void transport.close());
  try {
    await server.connect(transport);
    await ended;
  } finally {
    interrupt.dispose();
    await server.close().catch(() => undefined);
    await session.close().catch((err: unknown) => io.err(`tether mcp: releasing the sandboxes it ran: ${err instanceof Error ? err.message : String(err)}\n`));
  }
  return exitCode.ok;
}

export function registerMcp(program: Command, host: CommandHost, version: string): void {
  program
    .command('mcp')
    .description('serve the Model Context Protocol over stdio, for coding agents: preview, sandbox_status, sandbox_delete, run_checks, lint, will_it_schedule, pod_logs')
    .option('--workspace <dir>', 'the workspace folder with tether.yaml (default: the working folder)')
    .option('--context <name>', 'the kubeconfig context tools use when a call names none')
    .option('--kubeconfig <path>', 'kubeconfig file(s) (default: TETHER_KUBECONFIG, KUBECONFIG, ~/.kube/config)')
    .option('--verbose', 'log to stderr (secrets redacted)')
    .action(async (options: McpSessionOptions, command: Command) => {
      host.state.exitCode = await serveMcp(host.io, { ...options, ...command.opts<McpSessionOptions>() }, version);
    });
}
