/**
 * Linting manifests as every front door does it: the options from the lint settings, the YAML under
 * paths (one walk, manifests/yamlFiles.ts) or a text, against the bundled schema, saved /openapi/v3
 * documents, or a live cluster's schema and nodes.
 */
import { readFile } from 'node:fs/promises';
import type { KubeClient } from '../kube/api';
import { ClusterSchemaCache } from '../kube/clusterSchema';
import { ManifestLinter, type FileReport, type LintFile } from '../manifests/validate';
import { SchemaIndex } from '../manifests/schema/index';
import type { LintOptions } from '../manifests/types';
import { findYamlFiles } from '../manifests/yamlFiles';
import type { LintSettings } from './settings';

/** The engine's options from the settings: rule severities, the target Kubernetes version, which Pod Security findings to list. */
export function lintOptions(lint: Pick<LintSettings, 'rules' | 'kubernetesVersion' | 'podSecurity'>): LintOptions {
  const options: LintOptions = { rules: { ...lint.rules }, podSecurity: lint.podSecurity };
  if (/^v?\d+\.\d+/.test(lint.kubernetesVersion)) options.kubernetesVersion = lint.kubernetesVersion;
  return options;
}

/** The files under `paths` (folders walked), read. Throws MissingPathError for a path that is not there. */
export async function readLintFiles(paths: readonly string[]): Promise<LintFile[]> {
  const files = await findYamlFiles(paths);
  return Promise.all(files.map(async (path) => ({ path, text: await readFile(path, 'utf8') })));
}

export function lint(files: readonly LintFile[], options: LintOptions, schema?: SchemaIndex): FileReport[] {
  return new ManifestLinter(options, schema).lint(files);
}

export interface ClusterLintTarget {
  schema: SchemaIndex;
  options: LintOptions;
  /** The nodes could not be listed: the cluster-aware GPU rules are off. */
  withoutNodes: boolean;
}

/** Validating against a live cluster: its /openapi/v3 schema and, when nodes may be listed, its node facts. */
export async function clusterLintTarget(client: KubeClient, options: LintOptions): Promise<ClusterLintTarget> {
  const data = await new ClusterSchemaCache().get(client);
  return { schema: new SchemaIndex(data.schema), options: data.facts ? { ...options, cluster: data.facts } : options, withoutNodes: !data.facts };
}

export function errorCount(reports: readonly FileReport[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const r of reports) {
    for (const d of r.diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
    }
  }
  return { errors, warnings };
}
