/**
 * Label and field selectors with the API server's grammar: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a` for labels; `=`, `==`, `!=` on a fixed set of fields per kind.
 */
import type { KubeObject } from '../../src/kube/types';
import { badRequest } from './status';

type LabelRequirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

export type LabelSelector = LabelRequirement[];

const keyPattern = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function checkKey(key: string, source: string): string {
  if (!keyPattern.test(key)) throw badRequest(`unable to parse requirement: invalid label key "${key}" in selector "${source}"`);
  return key;
}

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of source) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

export function parseLabelSelector(source: string | null): LabelSelector {
  if (!source) return [];
  return splitTopLevel(source).map((part): LabelRequirement => {
    const setMatch = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (setMatch) {
      const values = setMatch[3].split(',').map((v) => v.trim()).filter((v) => v.length > 0);
      return { key: checkKey(setMatch[1], source), op: setMatch[2] as 'in' | 'notin', values };
    }
    const eq = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (eq) {
      return { key: checkKey(eq[1], source), op: eq[2] === '!=' ? 'notin' : 'in', values: [eq[3]] };
    }
    if (part.startsWith('!')) return { key: checkKey(part.slice(1).trim(), source), op: '!exists' };
    return { key: checkKey(part, source), op: 'exists' };
  });
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  for (const r of selector) {
    const value = labels?.[r.key];
    switch (r.op) {
      case 'exists':
        if (value === undefined) return false;
        break;
      case '!exists':
        if (value !== undefined) return false;
        break;
      case 'in':
        if (value === undefined || !r.values.includes(value)) return false;
        break;
      case 'notin':
        if (value !== undefined && r.values.includes(value)) return false;
        break;
    }
  }
  return true;
}

/** A Service-style selector map (`{app: web}`) as a LabelSelector. */
export function fromLabelMap(labels: Record<string, string> | undefined): LabelSelector {
  return Object.entries(labels ?? {}).map(([key, value]) => ({ key, op: 'in', values: [value] }));
}

interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A `matchLabels`/`matchExpressions` selector (Deployment, Job) as a LabelSelector. */
export function fromSelectorObject(selector: LabelSelectorObject | undefined): LabelSelector {
  const out = fromLabelMap(selector?.matchLabels);
  for (const e of selector?.matchExpressions ?? []) {
    const op = e.operator === 'In' ? 'in' : e.operator === 'NotIn' ? 'notin' : e.operator === 'Exists' ? 'exists' : '!exists';
    if (op === 'in' || op === 'notin') out.push({ key: e.key, op, values: e.values ?? [] });
    else out.push({ key: e.key, op });
  }
  return out;
}

interface FieldRequirement {
  field: string;
  negate: boolean;
  value: string;
}

export type FieldSelector = FieldRequirement[];

const commonFields = ['metadata.name', 'metadata.namespace'];
const fieldsByKind: Record<string, string[]> = {
  Pod: ['status.phase', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.podIP', 'status.nominatedNodeName'],
  Event: [
    'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid',
    'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason',
    'reportingComponent', 'source', 'type',
  ],
  Secret: ['type'],
  Node: ['spec.unschedulable'],
  Namespace: ['status.phase'],
  ReplicaSet: ['status.replicas'],
  Job: ['status.successful'],
};

export function parseFieldSelector(source: string | null, kind: string): FieldSelector {
  if (!source) return [];
  const allowed = new Set([...commonFields, ...(fieldsByKind[kind] ?? [])]);
  return splitTopLevel(source).map((part) => {
    const m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${source}'; can't understand '${part}'`);
    if (!allowed.has(m[1])) throw badRequest(`field label not supported: ${m[1]}`);
    return { field: m[1], negate: m[2] === '!=', value: m[3].trim() };
  });
}

function fieldValue(object: KubeObject, path: string): string {
  let current: unknown = object;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[segment];
  }
  if (current === undefined || current === null) return '';
  return String(current);
}

export function matchesFields(selector: FieldSelector, object: KubeObject): boolean {
  for (const r of selector) {
    const equal = fieldValue(object, r.field) === r.value;
    if (equal === r.negate) return false;
  }
  return true;
}

export interface ObjectFilter {
  labels: LabelSelector;
  fields: FieldSelector;
}

export function matches(filter: ObjectFilter, object: KubeObject): boolean {
  return matchesLabels(filter.labels, object.metadata.labels) && matchesFields(filter.fields, object);
}

export function isEmptyFilter(filter: ObjectFilter): boolean {
  return filter.labels.length === 0 && filter.fields.length === 0;
}
