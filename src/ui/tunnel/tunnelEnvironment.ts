/**
 * The tunnelled workload's environment for the developer's process: new integrated terminals get
 * it through the extension's EnvironmentVariableCollection (not persisted: nothing is written to
 * disk), and debug sessions (F5) get it as `env` through a DebugConfigurationProvider, with the
 * launch configuration's own `env` winning. A file is written only on request, 0600.
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../../lifecycle';
import type { ResolvedEnvironment } from '../../tunnel/environment';
import { writeEnvFile } from '../../tunnel/environmentFetch';

export class TunnelEnvironment implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private current: { workload: string; env: ResolvedEnvironment } | undefined;

  constructor(private readonly collection: vscode.GlobalEnvironmentVariableCollection) {
    collection.persistent = false;
    this.store.add(
      vscode.debug.registerDebugConfigurationProvider('*', {
        resolveDebugConfiguration: (_folder, config) => this.inject(config),
      }),
    );
  }

  get workload(): string | undefined {
    return this.current?.workload;
  }

  /** Uses `env` for new terminals and debug sessions from now on. */
  apply(workload: string, env: ResolvedEnvironment): void {
    this.current = { workload, env };
    this.collection.clear();
    this.collection.description = `Environment of ${workload} from the cluster (Tether). New terminals get it.`;
    for (const [name, value] of Object.entries(env.variables)) this.collection.replace(name, value);
  }

  clear(workload?: string): void {
    if (workload && this.current?.workload !== workload) return;
    this.current = undefined;
    this.collection.clear();
  }

  private inject(config: vscode.DebugConfiguration): vscode.DebugConfiguration {
    if (!this.current || config.request === 'attach') return config;
    const own = (config.env ?? {}) as Record<string, string>;
    return { ...config, env: { ...this.current.env.variables, ...own } };
  }

  /** Writes the environment to a file the user picked, readable only by them. */
  async saveToFile(): Promise<void> {
    const current = this.current;
    if (!current) {
      void vscode.window.showInformationMessage('No tunnel environment is active. Start a tunnel first.');
      return;
    }
    const target = await vscode.window.showSaveDialog({ title: `Save the environment of ${current.workload}`, saveLabel: 'Save (0600)', filters: { 'Env files': ['env'] } });
    if (!target) return;
    await writeEnvFile(target.fsPath, current.env.variables);
    const secrets = current.env.secretVariables.length;
    void vscode.window.showWarningMessage(
      `Saved ${Object.keys(current.env.variables).length} variables to ${target.fsPath} (readable only by you).${secrets ? ` ${secrets} come from Secrets: keep the file out of version control.` : ''}`,
    );
  }

  dispose(): void {
    this.collection.clear();
    this.store.dispose();
  }
}
