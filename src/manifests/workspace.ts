import { ManifestLinter, type FileAnalysis, type FileReport } from './validate';
import type { SchemaIndex } from './schema/index';
import type { LintOptions } from './types';

export interface VersionedReport extends FileReport {
  /** The document version the report was computed from (editor versions; 0 for files on disk). */
  version: number;
}

/**
 * The set of Kubernetes YAML files the editor knows: per-file analyses are cached and only the
 * changed file is re-analysed; cross-file rules run over all of them when reports are asked for.
 */
export class ManifestWorkspace {
  private readonly files = new Map<string, { analysis: FileAnalysis; version: number }>();
  private linter: ManifestLinter;

  constructor(options: LintOptions = {}, schema?: SchemaIndex) {
    this.linter = new ManifestLinter(options, schema);
  }

  get engine(): ManifestLinter {
    return this.linter;
  }

  /** New settings or another schema (undefined: the bundled one): re-analyse everything with them. */
  configure(options: LintOptions, schema?: SchemaIndex): void {
    this.linter = new ManifestLinter(options, schema);
    for (const [path, f] of this.files) this.files.set(path, { analysis: this.linter.analyze({ path, text: f.analysis.text }), version: f.version });
  }

  set(path: string, text: string, version: number): void {
    const known = this.files.get(path);
    if (known && known.version === version && known.analysis.text === text) return;
    this.files.set(path, { analysis: this.linter.analyze({ path, text }, known?.analysis), version });
  }

  delete(path: string): boolean {
    return this.files.delete(path);
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  paths(): string[] {
    return [...this.files.keys()];
  }

  analysis(path: string): FileAnalysis | undefined {
    return this.files.get(path)?.analysis;
  }

  /** Reports for every file, cross-file rules included. */
  reports(): VersionedReport[] {
    const entries = [...this.files.values()];
    const reports = this.linter.report(entries.map((e) => e.analysis));
    return reports.map((r, i) => ({ ...r, version: entries[i].version }));
  }
}
