/**
 * The editor's MCP server definition as plain data: whether the running VS Code has the MCP API
 * (1.101+; `@types/vscode` 1.100 has no MCP types, so the little used is declared here and looked
 * up at run time) and what `tether mcp` is started with. No `vscode` import: unit-tested.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export interface McpStdioServerDefinition {
  cwd?: unknown;
}

export interface McpApi {
  McpStdioServerDefinition: new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => McpStdioServerDefinition;
  lm: {
    registerMcpServerDefinitionProvider(id: string, provider: { onDidChangeMcpServerDefinitions?: unknown; provideMcpServerDefinitions(token: unknown): McpStdioServerDefinition[] }): { dispose(): void };
  };
}

/** The first VS Code whose MCP API is final (and read from the `mcpServerDefinitionProviders` contribution). */
const mcpSince = [1, 101];

function atLeast(version: string, [major, minor]: number[]): boolean {
  const [a, b] = version.split('.').map((n) => Number.parseInt(n, 10));
  return a > major || (a === major && b >= minor);
}

/**
 * The MCP API, when this VS Code has it in its final form (1.101+). Earlier builds may expose a
 * proposed version of it that wants another contribution, so they keep the language-model tools.
 */
export function mcpApi(api: unknown): McpApi | undefined {
  const candidate = api as Partial<McpApi> & { lm?: Partial<McpApi['lm']>; version?: string };
  if (typeof candidate.version !== 'string' || !atLeast(candidate.version, mcpSince)) return undefined;
  return typeof candidate.McpStdioServerDefinition === 'function' && typeof candidate.lm?.registerMcpServerDefinitionProvider === 'function' ? (candidate as McpApi) : undefined;
}

/** What the server is started with: the script, the workspace, the settings and context as TETHER_* variables. */
export function mcpLaunch(extensionPath: string, folder: string | undefined, context: string | undefined, env: Record<string, string>): { command: string; args: string[]; env: Record<string, string>; version: string } {
  const args = [join(extensionPath, 'dist', 'tether.js'), 'mcp', ...(folder ? ['--workspace', folder] : [])];
  // The extension host's runtime runs the script: Electron as plain Node, or code-server's Node.
  const all = { ...env, ...(context ? { TETHER_CONTEXT: context } : {}), ELECTRON_RUN_AS_NODE: '1' };
  const version = createHash('sha256').update(JSON.stringify([args, all])).digest('hex').slice(0, 12);
  return { command: process.execPath, args, env: all, version };
}

