/**
 * The scheduler's placement filters that do not depend on free capacity: taints against
 * tolerations, nodeSelector, and required node affinity. Each check returns undefined when the
 * node passes and a short plain-language reason when it does not.
 */
import type { NodeAffinity, NodeSelectorRequirement, NodeShape, Taint, Toleration } from './shapes';

/** `key=value:Effect`, or `key:Effect` when the taint has no value. */
export function formatTaint(taint: Taint): string {
  return `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
}

/** One toleration against one taint, as k8s.io/api/core/v1 Toleration.ToleratesTaint. */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const operator = toleration.operator || 'Equal';
  if (operator === 'Exists') return true;
  if (operator !== 'Equal') return false;
  // An empty key with Equal is invalid in the API; it tolerates nothing.
  if (!toleration.key) return false;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/** The taints of a node that keep pods off it: NoSchedule and NoExecute (PreferNoSchedule only steers). */
export function schedulingTaints(node: NodeShape): Taint[] {
  const taints = Array.isArray(node.spec?.taints) ? node.spec.taints.filter(isTaint) : [];
  const out = taints.filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  // A cordoned node carries this taint once the node controller catches up; add it if it has not.
  if (node.spec?.unschedulable && !out.some((t) => t.key === 'node.kubernetes.io/unschedulable')) {
    out.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
  }
  return out;
}

function isTaint(value: unknown): value is Taint {
  const t = value as Taint | null;
  return t !== null && typeof t === 'object' && typeof t.key === 'string' && typeof t.effect === 'string';
}

/** The first taint that no toleration covers, or undefined. */
export function untoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): Taint | undefined {
  const list = Array.isArray(tolerations) ? tolerations : [];
  return taints.find((taint) => !list.some((tol) => tol && tolerates(tol, taint)));
}

/** Why the node's labels do not satisfy a nodeSelector, or undefined when they do. */
export function nodeSelectorMismatch(
  labels: Readonly<Record<string, string>> | undefined,
  selector: Readonly<Record<string, string>> | undefined,
): string | undefined {
  if (!selector) return undefined;
  for (const [key, value] of Object.entries(selector)) {
    const actual = labels?.[key];
    if (actual !== value) {
      return actual === undefined
        ? `nodeSelector ${key}=${value}: the node has no label ${key}`
        : `nodeSelector ${key}=${value}: the node has ${key}=${actual}`;
    }
  }
  return undefined;
}

/** Why a node fails the pod's required node affinity, or undefined when it passes. */
export function nodeAffinityMismatch(node: NodeShape, affinity: NodeAffinity | undefined): string | undefined {
  const required = affinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return undefined;
  const terms = Array.isArray(required.nodeSelectorTerms) ? required.nodeSelectorTerms : [];
  const labels = node.metadata?.labels ?? {};
  const fields: Record<string, string> = { 'metadata.name': node.metadata?.name ?? '' };
  const failures: string[] = [];
  for (const term of terms) {
    const expressions = Array.isArray(term?.matchExpressions) ? term.matchExpressions : [];
    const fieldExpressions = Array.isArray(term?.matchFields) ? term.matchFields : [];
    if (expressions.length === 0 && fieldExpressions.length === 0) {
      failures.push('an empty term matches no node');
      continue;
    }
    const failed =
      expressions.map((r) => requirementMismatch(r, labels, 'label')).find((m) => m !== undefined) ??
      fieldExpressions.map((r) => requirementMismatch(r, fields, 'field')).find((m) => m !== undefined);
    if (failed === undefined) return undefined;
    failures.push(failed);
  }
  if (failures.length === 0) return 'required node affinity has no terms, so it matches no node';
  return `required node affinity: ${failures.join('; or ')}`;
}

/** Why one matchExpressions requirement fails against a label (or field) set. */
export function requirementMismatch(
  req: NodeSelectorRequirement,
  values: Readonly<Record<string, string>>,
  noun: 'label' | 'field',
): string | undefined {
  const actual = Object.prototype.hasOwnProperty.call(values, req.key) ? values[req.key] : undefined;
  const list = Array.isArray(req.values) ? req.values.map(String) : [];
  const has = actual !== undefined;
  const shown = has ? `${req.key}=${actual}` : `no ${noun} ${req.key}`;
  switch (req.operator) {
    case 'In':
      return has && list.includes(actual) ? undefined : `${req.key} In [${list.join(', ')}] but the node has ${shown}`;
    case 'NotIn':
      return !has || !list.includes(actual) ? undefined : `${req.key} NotIn [${list.join(', ')}] but the node has ${shown}`;
    case 'Exists':
      return has ? undefined : `${req.key} Exists but the node has ${shown}`;
    case 'DoesNotExist':
      return has ? `${req.key} DoesNotExist but the node has ${shown}` : undefined;
    case 'Gt':
    case 'Lt': {
      const bound = list.length === 1 ? integer(list[0]) : undefined;
      if (bound === undefined) return `${req.key} ${req.operator} needs exactly one integer value, got [${list.join(', ')}]`;
      const n = has ? integer(actual) : undefined;
      if (n === undefined) return `${req.key} ${req.operator} ${bound} but the node has ${has ? `non-integer ${shown}` : shown}`;
      const ok = req.operator === 'Gt' ? n > bound : n < bound;
      return ok ? undefined : `${req.key} ${req.operator} ${bound} but the node has ${shown}`;
    }
    default:
      return `${req.key}: unknown operator ${JSON.stringify(req.operator)} (use In, NotIn, Exists, DoesNotExist, Gt or Lt)`;
  }
}

function integer(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text.trim()) ? Number(text) : undefined;
}
