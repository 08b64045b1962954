/**
 * Linting manifests as every front door does it: the options from the lint settings, the
 * Kubernetes YAML under paths (one walk, manifests/yamlFiles.ts), and the schema of a live cluster
 * when one is asked for.
 */
import type { LintOptions } from '../manifests/types';
import type { LintSettings } from './settings';

/** The engine's options from the settings: rule severities, the target Kubernetes version, which Pod Security findings to list. */
export function lintOptions(lint: Pick<LintSettings, 'rules' | 'kubernetesVersion' | 'podSecurity'>): LintOptions {
  const options: LintOptions = { rules: { ...lint.rules }, podSecurity: lint.podSecurity };
  if (/^v?\d+\.\d+/.test(lint.kubernetesVersion)) options.kubernetesVersion = lint.kubernetesVersion;
  return options;
}
