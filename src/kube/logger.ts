/**
 * The logging seam for code below `ui/`. Its shape is a subset of vscode.LogOutputChannel, so the
 * extension passes its one "Tether" channel straight in; tests pass `silentLogger` or a recorder.
 * Callers never pass secrets: tokens and keys are redacted before they get here (see redact.ts).
 */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

export const silentLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};
