import { ALL_RULES } from './rules/index';
import type { FileReport } from './validate';
import type { Fix, Severity } from './types';

/** Renders lint reports for people (text), programs (json) and code-scanning tools (SARIF 2.1.0). */
export type OutputFormat = 'text' | 'json' | 'sarif';

export function formatText(reports: readonly FileReport[]): string {
  const lines: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const r of reports) {
    for (const d of r.diagnostics) {
      counts[d.severity]++;
      lines.push(`${r.path}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.message} [${d.ruleId}]`);
    }
  }
  const resources = reports.reduce((n, r) => n + r.resources, 0);
  lines.push(`${reports.length} file(s), ${resources} resource(s): ${counts.error} error(s), ${counts.warning} warning(s), ${counts.info + counts.hint} note(s)`);
  return lines.join('\n') + '\n';
}

/** One file's findings as plain data: 1-based positions, fixes as offset edits (the json format, the MCP lint tool). */
export interface JsonReport {
  path: string;
  resources: number;
  diagnostics: { ruleId: string; severity: Severity; message: string; line: number; column: number; endLine: number; endColumn: number; fixes?: Fix[] }[];
}

export function jsonReports(reports: readonly FileReport[]): JsonReport[] {
  return reports.map((r) => ({
    path: r.path,
    resources: r.resources,
    diagnostics: r.diagnostics.map((d) => ({
      ruleId: d.ruleId,
      severity: d.severity,
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      endLine: d.range.end.line + 1,
      endColumn: d.range.end.character + 1,
      fixes: d.fixes,
    })),
  }));
}

export function formatJson(reports: readonly FileReport[]): string {
  return JSON.stringify(jsonReports(reports), null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(reports: readonly FileReport[], toolVersion: string): string {
  const rules = ALL_RULES.map((m) => ({
    id: m.id,
    shortDescription: { text: m.doc },
    defaultConfiguration: { level: SARIF_LEVEL[m.severity] },
    properties: { family: m.family },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = reports.flatMap((r) =>
    r.diagnostics.map((d) => ({
      ruleId: d.ruleId,
      ruleIndex: index.get(d.ruleId),
      level: SARIF_LEVEL[d.severity],
      message: { text: d.message },
      locations: [{
        physicalLocation: {
          artifactLocation: { uri: r.path.split('\\').join('/') },
          region: { startLine: d.range.start.line + 1, startColumn: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1 },
        },
      }],
    })),
  );
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'tether-lint', version: toolVersion, informationUri: 'https://github.com/tether-dev/tether', rules } }, results }],
  }, null, 2) + '\n';
}

export function format(reports: readonly FileReport[], kind: OutputFormat, toolVersion: string): string {
  if (kind === 'json') return formatJson(reports);
  if (kind === 'sarif') return formatSarif(reports, toolVersion);
  return formatText(reports);
}
