/**
 * One command of the CLI (or one tool call of the MCP server) as it runs: the engine as this front
 * door runs it (settings from TETHER_* variables and flags, read here and nowhere else), the
 * kubeconfig and context, one client owned for the run, the workspace, progress, and an abort
 * signal that Ctrl+C (or the MCP client's cancellation) fires.
 */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { bundlesIn } from '../engine/bundles';
import { sharedByRequests } from '../engine/sharedSignal';
import type { EngineDeps } from '../engine/engine';
import { nodeHost, type EngineHost, type FrontDoor } from '../engine/host';
import { envSettingReader, readSettings, type TetherSettings } from '../engine/settings';
import { diskWorkspace, type Workspace } from '../engine/workspace';
import { KubeClient } from '../kube/api';
import { loadKubeconfig, type LoadedKubeconfig } from '../kube/config';
import { ExplainedError } from '../kube/errors';
import { silentLogger, type Logger } from '../kube/logger';
import { redact } from '../kube/redact';
import type { Disposable } from '../lifecycle';
import type { CliIo } from './io';
import { Progress } from './progress';

/** Options every command takes. */
export interface GlobalOptions {
  context?: string;
  kubeconfig?: string;
  /** The tether.yaml to use (default ./tether.yaml). */
  spec?: string;
  json?: boolean;
  verbose?: boolean;
}

/** The CLI's settings: TETHER_* variables (engine/settings.ts), with --kubeconfig over TETHER_KUBECONFIG. */
export function cliSettings(env: NodeJS.ProcessEnv, options: Pick<GlobalOptions, 'kubeconfig'> = {}): TetherSettings {
  const settings = readSettings(envSettingReader(env));
  return options.kubeconfig ? { ...settings, kubeconfig: options.kubeconfig } : settings;
}

/**
 * The environment the kubeconfig is loaded from: `file` (the kubeconfig setting, or --kubeconfig)
 * as KUBECONFIG when given, one path or several joined as KUBECONFIG joins them, each resolved
 * against `cwd` with a leading ~ as the home folder; else `env` as it is.
 */
export function kubeconfigEnv(file: string, env: NodeJS.ProcessEnv, cwd: string): NodeJS.ProcessEnv {
  if (!file) return env;
  const separator = process.platform === 'win32' ? ';' : ':';
  const paths = file.split(separator).filter(Boolean).map((f) => resolve(cwd, f.replace(/^~(?=$|[\\/])/, homedir())));
  return { ...env, KUBECONFIG: paths.join(separator) };
}

/** Logs to stderr with --verbose (redacted), else nowhere. */
export function stderrLogger(io: Pick<CliIo, 'err'>, verbose: boolean): Logger {
  if (!verbose) return silentLogger;
  const line = (level: string) => (m: string | Error) => io.err(`[${level}] ${redact(typeof m === 'string' ? m : (m.stack ?? m.message))}\n`);
  return { trace: () => undefined, debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

export class CliRun implements Disposable {
  readonly engine: EngineDeps;
  readonly progress: Progress;
  private readonly abort = new AbortController();
  private readonly interrupt: Disposable;
  private loaded?: LoadedKubeconfig;
  private clientValue?: KubeClient;
  private readonly settingsValue: TetherSettings;

  constructor(
    readonly io: CliIo,
    readonly options: GlobalOptions,
    frontDoor: FrontDoor = 'cli',
    host: EngineHost = nodeHost(frontDoor),
  ) {
    this.settingsValue = cliSettings(io.env, options);
    this.engine = { host, settings: () => this.settingsValue, bundles: bundlesIn(io.distDir), logger: stderrLogger(io, Boolean(options.verbose)) };
    this.progress = new Progress(io);
    sharedByRequests(this.abort.signal);
    this.interrupt = io.onInterrupt(() => this.abort.abort());
  }

  /** Aborted on Ctrl+C or SIGTERM. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Stops waiting for what runs (the same as Ctrl+C). */
  cancel(): void {
    this.abort.abort();
  }

  kubeconfig(): LoadedKubeconfig {
    if (this.loaded) return this.loaded;
    this.loaded = loadKubeconfig(kubeconfigEnv(this.settingsValue.kubeconfig, this.io.env, this.io.cwd));
    return this.loaded;
  }

  /** --context, else TETHER_CONTEXT, else the kubeconfig's current context. */
  context(): string {
    const context = this.options.context || this.io.env.TETHER_CONTEXT || this.kubeconfig().currentContext;
    if (!context) {
      throw new ExplainedError({ reason: 'UnknownContext', what: 'Choose the cluster', why: `${this.kubeconfig().files.join(', ')} name${this.kubeconfig().files.length === 1 ? 's' : ''} no current context`, remedy: '', step: { code: 'selectContext' } });
    }
    return context;
  }

  /** The client of the context, owned by this run. */
  client(): KubeClient {
    this.clientValue ??= KubeClient.forContext(this.kubeconfig(), this.context(), this.engine.logger);
    return this.clientValue;
  }

  /** A client for `context` that its caller owns (a PreviewLoop's running sandbox). */
  openClient(context: string): KubeClient {
    return KubeClient.forContext(this.kubeconfig(), context, this.engine.logger);
  }

  workspace(): Workspace {
    return diskWorkspace({ folder: this.io.cwd, spec: this.options.spec ? resolve(this.io.cwd, this.options.spec) : undefined });
  }

  dispose(): void {
    this.interrupt.dispose();
    this.progress.dispose();
    this.clientValue?.dispose();
  }
}
