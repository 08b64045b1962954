/**
 * The one "Tether" log. Everything written through `logger` is redacted first, so tokens, keys and
 * passwords never reach the output channel even if a message quotes a kubeconfig or a header.
 */
import * as vscode from 'vscode';
import type { Logger } from '../kube/logger';
import { redact } from '../kube/redact';

function clean(args: unknown[]): unknown[] {
  return args.map((a) => (typeof a === 'string' ? redact(a) : a instanceof Error ? redact(a.stack ?? a.message) : a));
}

export function redactingLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    trace: (m, ...a) => channel.trace(redact(m), ...clean(a)),
    debug: (m, ...a) => channel.debug(redact(m), ...clean(a)),
    info: (m, ...a) => channel.info(redact(m), ...clean(a)),
    warn: (m, ...a) => channel.warn(redact(m), ...clean(a)),
    error: (m, ...a) => channel.error(redact(typeof m === 'string' ? m : (m.stack ?? m.message)), ...clean(a)),
  };
}
