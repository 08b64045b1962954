import type { ClusterFacts, Finding, PodSecurityMode, Severity } from '../types';
import type { Resource } from '../resource';

export type RuleFamily = 'yaml' | 'schema' | 'server' | 'gpu' | 'workloads' | 'api-versions' | 'pod-security' | 'cross-file';

export interface RuleMeta {
  id: string;
  family: RuleFamily;
  severity: Severity;
  /** One sentence: what it checks and why it matters. */
  doc: string;
  /** Needs cluster facts to run. */
  clusterAware?: boolean;
}

export interface RuleContext {
  /** Target Kubernetes version as [major, minor]. */
  version: [number, number];
  cluster?: ClusterFacts;
  /** A file as messages name it (see LintOptions.displayPath). */
  displayPath: (path: string) => string;
  podSecurity?: PodSecurityMode;
}

/** A rule that looks at one resource at a time. */
export interface ResourceRule {
  meta: RuleMeta[];
  check(resource: Resource, ctx: RuleContext, out: Finding[]): void;
}

/** A rule that looks across every resource of the lint run (the workspace, or the CLI's files). */
export interface CrossRule {
  meta: RuleMeta[];
  check(resources: Resource[], ctx: RuleContext, report: (resource: Resource, finding: Finding) => void): void;
}

export function parseVersion(v: string): [number, number] {
  const m = v.trim().replace(/^v/, '').match(/^(\d+)\.(\d+)/);
  if (!m) throw new Error(`Kubernetes version "${v}" is not of the form 1.30 (major.minor)`);
  return [Number(m[1]), Number(m[2])];
}

export function versionAtLeast(v: [number, number], other: [number, number]): boolean {
  return v[0] > other[0] || (v[0] === other[0] && v[1] >= other[1]);
}
