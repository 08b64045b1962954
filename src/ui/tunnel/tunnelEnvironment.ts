/**
 * The tunnelled workload's environment for the developer's process: new integrated terminals get
 * it through the extension's EnvironmentVariableCollection (not persisted: nothing is written to
 * disk), and debug sessions (F5) get it as `env` through a DebugConfigurationProvider, with the
 * launch configuration's own `env` winning. A file is written only on request, 0600.
 *
 * It is the one owner of the collection: plain tunnels and sandbox `local` forks both hand their
 * environments here, and the one started last is active (environmentStack.ts).
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../../lifecycle';
import type { ResolvedEnvironment } from '../../tunnel/environment';
import { writeEnvFile } from '../../tunnel/environmentFetch';
import { EnvironmentStack, type EnvironmentSource } from '../../tunnel/environmentStack';

export class TunnelEnvironment implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly stack = new EnvironmentStack();

  constructor(private readonly collection: vscode.GlobalEnvironmentVariableCollection) {
    collection.persistent = false;
    this.store.add(
      vscode.debug.registerDebugConfigurationProvider('*', {
        resolveDebugConfiguration: (_folder, config) => this.inject(config),
      }),
    );
  }

  /** The sources with an environment here, oldest first (the last one is active). */
  get sources(): string[] {
    return this.stack.keys();
  }

  /** Uses `env` of `source` for new terminals and debug sessions from now on. */
  apply(source: EnvironmentSource, env: ResolvedEnvironment): void {
    this.stack.set(source, env);
    this.show();
  }

  /** Forgets `key`'s environment; the one started before it becomes active again. */
  clear(key: string): void {
    if (this.stack.remove(key)) this.show();
  }

  /** Forgets every source whose key starts with `prefix`. */
  clearWhere(prefix: string): void {
    if (this.stack.removeWhere(prefix)) this.show();
  }

  private show(): void {
    this.collection.clear();
    const active = this.stack.active;
    if (!active) return;
    this.collection.description = this.stack.description();
    for (const [name, value] of Object.entries(active.env.variables)) this.collection.replace(name, value);
  }

  private inject(config: vscode.DebugConfiguration): vscode.DebugConfiguration {
    const active = this.stack.active;
    if (!active || config.request === 'attach') return config;
    const own = (config.env ?? {}) as Record<string, string>;
    return { ...config, env: { ...active.env.variables, ...own } };
  }

  /** Writes the environment to a file the user picked, readable only by them. */
  async saveToFile(): Promise<void> {
    const active = this.stack.active;
    if (!active) {
      void vscode.window.showInformationMessage('No tunnel environment is active. Start a tunnel first.');
      return;
    }
    const current = { label: active.source.label, env: active.env };
    const target = await vscode.window.showSaveDialog({ title: `Save the environment of ${current.label}`, saveLabel: 'Save (0600)', filters: { 'Env files': ['env'] } });
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
