/** How a command gets its CliRun: the real host by default, an injected one in tests. */
import { CliRun, type GlobalOptions } from './cliRun';
import type { CliIo } from './io';

export type CliRunFactory = (io: CliIo, options: GlobalOptions) => CliRun;

export const defaultRunFactory: CliRunFactory = (io, options) => new CliRun(io, options);

export function cliRunFor(host: { io: CliIo; newRun: CliRunFactory }, options: GlobalOptions): CliRun {
  return host.newRun(host.io, options);
}
