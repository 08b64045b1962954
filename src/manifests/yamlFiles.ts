/**
 * Which files hold Kubernetes YAML, found one way everywhere: the CLI's lint, the manifests a
 * tether.yaml is proposed from, and the editor's workspace scan (through the same skip list as a
 * glob). Dependency, build and hidden folders are skipped; files named explicitly are always kept.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Folders that hold dependencies or build output, never a project's own manifests. */
export const skippedFolders: readonly string[] = ['node_modules', '.git', 'dist', 'out', 'build', '.vscode-test', 'vendor', 'target'];

/** The same folders as a glob for the editor's file search. */
export const skippedFoldersGlob = `{${skippedFolders.map((f) => `**/${f}/**`).join(',')}}`;

export function isYamlFile(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

export interface YamlWalk {
  /** How deep below each folder given (default: no limit). */
  maxDepth?: number;
  /** Stop after this many files (default: no limit). */
  maxFiles?: number;
}

/** A path given that does not exist. */
export class MissingPathError extends Error {
  constructor(readonly path: string) {
    super(`no such file or folder: ${path}`);
    this.name = 'MissingPathError';
  }
}

/** The YAML files under `paths` (folders walked in name order, files kept as given). */
export async function findYamlFiles(paths: readonly string[], options: YamlWalk = {}): Promise<string[]> {
  const out: string[] = [];
  const full = () => options.maxFiles !== undefined && out.length >= options.maxFiles;
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (full() || (options.maxDepth !== undefined && depth > options.maxDepth)) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable: nothing of ours there
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (full()) return;
      if (e.isDirectory()) {
        if (!skippedFolders.includes(e.name) && !e.name.startsWith('.')) await walk(join(dir, e.name), depth + 1);
      } else if (isYamlFile(e.name)) {
        out.push(join(dir, e.name));
      }
    }
  };
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (!info) throw new MissingPathError(p);
    if (info.isDirectory()) await walk(p, 0);
    else out.push(p);
  }
  return out;
}
