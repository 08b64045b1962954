/**
 * The abort signal of one whole operation (a CLI command, an MCP tool call, an editor command or
 * language-model tool call), passed to every request it makes: a preview has a dozen in flight at
 * once, each listening for the abort until it ends. That is no leak for Node to warn about on the
 * user's terminal, an agent's server log or the extension host's.
 */
import { setMaxListeners } from 'node:events';

export function sharedByRequests(signal: AbortSignal): AbortSignal {
  setMaxListeners(100, signal);
  return signal;
}
