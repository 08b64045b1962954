/**
 * Who a sandbox is for and who runs it: the developer (the setting, else the login name), the
 * branch (the sandbox is named `<developer>-<branch>` unless asked for by name), and the Lease's
 * holder, one per front door on one computer ("jane@laptop/cli"), so the editor, a terminal and an
 * agent's MCP server never renew the same sandbox unknowingly (sandbox/lifecycle/holder.ts).
 */
import type { TetherSettings } from './settings';
import type { EngineHost } from './host';

export function developerName(settings: Pick<TetherSettings, 'sandbox'>, host: Pick<EngineHost, 'userName'>): string {
  return settings.sandbox.developer || host.userName() || 'developer';
}

export function holderIdentity(developer: string, host: Pick<EngineHost, 'hostName' | 'frontDoor'>): string {
  return `${developer}@${host.hostName()}/${host.frontDoor}`;
}

/** The branch of `folder`; "main" when it has none. */
export async function branchOf(folder: string, host: Pick<EngineHost, 'gitBranch'>): Promise<string> {
  return (await host.gitBranch(folder)) ?? 'main';
}
