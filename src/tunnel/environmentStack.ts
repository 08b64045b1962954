/**
 * Which tunnelled workload's environment new terminals get when several run at once (a plain
 * tunnel and the `local` forks of sandboxes): the one started last wins, whole — environments of
 * different workloads are never mixed, since the same names (PORT, DB_URL) mean different things
 * in each. When it stops, the one started before it is back. Pure; the VS Code glue owns the one
 * EnvironmentVariableCollection and shows `description`.
 */
import type { ResolvedEnvironment } from './environment';

export interface EnvironmentSource {
  /** Identifies the source: a plain tunnel's workload, or a sandbox fork (tunnelEnvironmentKey, forkEnvironmentKey). */
  key: string;
  /** In words, e.g. `the tunnel to "api"` or `fork "api" of sandbox "jane-main"`. */
  label: string;
}

export interface EnvironmentEntry {
  source: EnvironmentSource;
  env: ResolvedEnvironment;
}

export function tunnelEnvironmentKey(workload: string): string {
  return `tunnel/${workload}`;
}

export class EnvironmentStack {
  /** Oldest first; the last one is active. */
  private readonly entries: EnvironmentEntry[] = [];

  /** `source` becomes the active environment (again, if it was there before). */
  set(source: EnvironmentSource, env: ResolvedEnvironment): void {
    this.remove(source.key);
    this.entries.push({ source, env });
  }

  /** Removes one source; answers whether the active environment changed. */
  remove(key: string): boolean {
    const index = this.entries.findIndex((e) => e.source.key === key);
    if (index < 0) return false;
    this.entries.splice(index, 1);
    return index === this.entries.length;
  }

  /** Removes every source whose key starts with `prefix` (all forks of one sandbox); answers whether the active one changed. */
  removeWhere(prefix: string): boolean {
    const before = this.active;
    for (const e of this.entries.filter((x) => x.source.key.startsWith(prefix))) this.remove(e.source.key);
    return this.active !== before;
  }

  get active(): EnvironmentEntry | undefined {
    return this.entries.at(-1);
  }

  keys(): string[] {
    return this.entries.map((e) => e.source.key);
  }

  /** What the terminal's environment panel says: whose environment it is, and which wait behind it. */
  description(): string | undefined {
    const active = this.active;
    if (!active) return undefined;
    const waiting = this.entries.slice(0, -1).map((e) => e.source.label).reverse();
    const behind = waiting.length > 0 ? ` It was started last, so it wins over ${waiting.join(', ')}, whose environment comes back when it stops.` : '';
    return `Environment of ${active.source.label} from the cluster (Tether). New terminals get it.${behind}`;
  }
}
