import { apiVersionRules } from './apiVersions';
import { crossFileRules } from './crossFile';
import { gpuRules } from './gpu';
import { podSecurityRules } from './podSecurity';
import type { CrossRule, ResourceRule, RuleMeta } from './rule';
import { serverRules } from './server';
import { workloadRules } from './workloads';

/** Checks made by the parser and the schema validator, described like rules so they can be configured. */
export const BUILTIN_META: readonly RuleMeta[] = [
  { id: 'yaml-syntax', family: 'yaml', severity: 'error', doc: 'The YAML cannot be parsed.' },
  { id: 'yaml-duplicate-key', family: 'yaml', severity: 'error', doc: 'A mapping repeats a key; the API server keeps one silently or, with strict validation, rejects the object.' },
  { id: 'skipped', family: 'yaml', severity: 'info', doc: 'A file or document was not validated: not Kubernetes, binary, or over a size, depth, alias or time budget.' },
  { id: 'schema-unknown-field', family: 'schema', severity: 'error', doc: 'A field the schema does not declare (with the nearest known field name).' },
  { id: 'schema-type', family: 'schema', severity: 'error', doc: 'A value of the wrong type (string, integer, boolean, object, list, base64).' },
  { id: 'schema-required', family: 'schema', severity: 'error', doc: 'A required field is missing, for kinds the server rules do not cover (they check what the server requires after its defaulting).' },
  { id: 'schema-enum', family: 'schema', severity: 'error', doc: 'A value outside the allowed set (e.g. imagePullPolicy, protocol, restartPolicy).' },
  { id: 'schema-quantity', family: 'schema', severity: 'error', doc: 'A malformed resource quantity such as 500mi (use 500Mi or 500m).' },
  { id: 'schema-name', family: 'schema', severity: 'error', doc: 'metadata.name is not a valid DNS-1123 subdomain (or label, for Services and Namespaces).' },
  { id: 'schema-label', family: 'schema', severity: 'error', doc: 'A label key or value (or annotation key) that Kubernetes rejects.' },
  { id: 'schema-unknown-kind', family: 'schema', severity: 'error', doc: 'The kind is not served by that apiVersion (with the nearest kind, or the apiVersions that serve it).' },
];

export const RESOURCE_RULES: readonly ResourceRule[] = [apiVersionRules, serverRules, gpuRules, workloadRules, podSecurityRules];
export const CROSS_RULES: readonly CrossRule[] = [crossFileRules];

export const ALL_RULES: readonly RuleMeta[] = [
  ...BUILTIN_META,
  ...RESOURCE_RULES.flatMap((r) => r.meta),
  ...CROSS_RULES.flatMap((r) => r.meta),
];

const BY_ID = new Map(ALL_RULES.map((m) => [m.id, m]));

export function ruleMeta(id: string): RuleMeta | undefined {
  return BY_ID.get(id);
}
