/**
 * Registers the typed command map; every handler runs behind the one error handler.
 */
import * as vscode from 'vscode';
import type { ErrorReporter } from '../errorReporter';
import type { CommandHandlers, CommandId } from './commandIds';

export function registerCommands(handlers: CommandHandlers, reporter: ErrorReporter): vscode.Disposable {
  const registrations = (Object.keys(handlers) as CommandId[]).map((id) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await (handlers[id] as (...a: unknown[]) => unknown)(...args);
      } catch (err) {
        reporter.report(err);
        return undefined;
      }
    }),
  );
  return vscode.Disposable.from(...registrations);
}
