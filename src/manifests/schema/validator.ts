import type { Finding } from '../types';
import type { YMap, YNode } from '../tree';

interface Span {
  start: number;
  end: number;
}
import { describeType, type ObjectSchema, type ParsedType } from './model';
import type { SchemaIndex } from './index';
import { closest } from './suggest';
import { dns1123LabelProblem, dns1123SubdomainProblem, isBase64, labelKeyProblem, labelValueProblem, quantityCaseFix, quantityProblem } from './formats';

/** Kinds whose metadata.name must be a DNS-1123 label rather than a subdomain. */
const LABEL_NAMED_KINDS = new Set(['Service', 'Namespace']);
/** Kinds whose names are path segments (e.g. "system:aggregate-to-view"). */
const PATH_NAMED_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Checks one resource against its schema: unknown fields (with "did you mean"), wrong types,
 * missing required fields, enum values, int-or-string, quantities, names, label keys and values.
 */
export class SchemaValidator {
  constructor(private readonly schema: SchemaIndex) {}

  /**
   * `serverChecked`: the server validation rules cover this kind's names, labels and annotations
   * (with the server's own wording), so those checks are left to them.
   */
  validate(root: YMap, typeName: string, kind: string, out: Finding[], serverChecked = false, text?: string): void {
    const obj = this.schema.object(typeName);
    if (!obj) return;
    this.serverChecked = serverChecked;
    this.text = text;
    this.object(root, obj, typeName, root.pairs.find((p) => p.key.value === 'kind')?.key ?? root, out);
    if (!serverChecked) this.checkName(root, kind, out);
  }

  private serverChecked = false;
  /** The document's text, to quote values as written (yes, 0755, 1.10) rather than as YAML read them. */
  private text: string | undefined;

  private object(node: YMap, obj: ObjectSchema, typeName: string, anchor: Span, out: Finding[]): void {
    for (const pair of node.pairs) {
      const name = String(pair.key.value);
      const field = obj.p[name];
      if (!field) {
        if (obj.open) continue;
        const suggestion = closest(name, Object.keys(obj.p));
        const where = shortName(typeName);
        out.push({
          ruleId: 'schema-unknown-field',
          message: `unknown field "${name}" in ${where}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
          start: pair.key.start,
          end: pair.key.end,
          fixes: suggestion && !pair.key.quoted ? [{ title: `Rename "${name}" to "${suggestion}"`, edits: [{ start: pair.key.start, end: pair.key.end, newText: suggestion }] }] : undefined,
        });
        continue;
      }
      const t = this.schema.fieldType(field);
      this.value(pair.value, t, field.e, pair.key, out);
      if (pair.value.kind === 'map' && !this.serverChecked) this.labelHooks(typeName, name, pair.value, out);
    }
    // For kinds the server rules cover, required fields are what the server requires after
    // defaulting (a pod failure policy's status, a probe's thresholds), which they check.
    if (obj.r && !this.serverChecked) {
      for (const req of obj.r) {
        if (!node.pairs.some((p) => p.key.value === req)) {
          out.push({
            ruleId: 'schema-required',
            message: `missing required field "${req}" in ${shortName(typeName)}`,
            start: anchor.start,
            end: anchor.end,
          });
        }
      }
    }
  }

  private value(node: YNode, t: ParsedType, enumValues: string[] | undefined, anchor: Span, out: Finding[]): void {
    if (node.kind === 'scalar' && node.value === null) return; // null means "unset" to the API server
    switch (t.kind) {
      case 'ref': {
        const obj = this.schema.object(t.name);
        if (node.kind !== 'map') {
          out.push(typeError(node, 'object'));
          return;
        }
        if (obj) this.object(node, obj, t.name, anchor, out);
        return;
      }
      case 'array':
        if (node.kind !== 'seq') {
          out.push(typeError(node, describeType(t)));
          return;
        }
        for (const item of node.items) this.value(item, t.items, undefined, item.kind === 'map' && item.pairs.length ? item.pairs[0].key : anchor, out);
        return;
      case 'map':
        if (node.kind !== 'map') {
          out.push(typeError(node, describeType(t)));
          return;
        }
        for (const p of node.pairs) this.value(p.value, t.values, undefined, p.key, out);
        return;
      case 'scalar':
        this.scalar(node, t.name, enumValues, out);
    }
  }

  private scalar(node: YNode, name: string, enumValues: string[] | undefined, out: Finding[]): void {
    if (name === 'any') return;
    if (node.kind !== 'scalar') {
      out.push(typeError(node, name));
      return;
    }
    const v = node.value;
    switch (name) {
      case 'string':
      case 'date-time':
        if (typeof v !== 'string') {
          const written = this.text?.slice(node.start, node.end) ?? String(v);
          const f = typeError(node, 'string', node.quoted ? undefined : `quote it: "${written}"`);
          // The text as written, in quotes: "1.10" stays "1.10", not 1.1.
          if (!node.quoted && node.kind === 'scalar' && !node.blockScalar) f.fixes = [{ title: 'Quote the value (a string is expected)', edits: [{ start: node.start, end: node.start, newText: '"' }, { start: node.end, end: node.end, newText: '"' }] }];
          out.push(f);
          return;
        }
        if (enumValues && !enumValues.includes(v)) {
          const s = closest(v, enumValues);
          out.push({
            ruleId: 'schema-enum',
            message: `"${v}" is not one of ${enumValues.map((e) => `"${e}"`).join(', ')}${s ? `; did you mean "${s}"?` : ''}`,
            start: node.start,
            end: node.end,
            fixes: s && !node.quoted ? [{ title: `Change to "${s}"`, edits: [{ start: node.start, end: node.end, newText: s }] }] : undefined,
          });
        }
        return;
      case 'byte':
        if (typeof v !== 'string') out.push(typeError(node, 'base64 string'));
        else if (!isBase64(v)) out.push({ ruleId: 'schema-type', message: 'value is not valid base64 (use stringData for plain text)', start: node.start, end: node.end });
        return;
      case 'integer':
        if (typeof v !== 'number' || !Number.isInteger(v)) out.push(typeError(node, 'integer'));
        else if (Math.abs(v) > Number.MAX_SAFE_INTEGER) out.push(typeError(node, 'integer in range'));
        return;
      case 'number':
        if (typeof v !== 'number') out.push(typeError(node, 'number'));
        return;
      case 'boolean':
        if (typeof v !== 'boolean') out.push(typeError(node, 'boolean (true or false)'));
        return;
      case 'int-or-string':
        if (typeof v === 'boolean' || (typeof v === 'number' && (!Number.isInteger(v) || v > INT32_MAX))) out.push(typeError(node, 'integer or string'));
        return;
      case 'quantity': {
        if (typeof v === 'boolean') {
          out.push(typeError(node, 'quantity'));
          return;
        }
        const problem = quantityProblem(String(v));
        if (problem) {
          const near = quantityCaseFix(String(v));
          const fixes = near && !node.quoted ? [{ title: `Change to ${near}`, edits: [{ start: node.start, end: node.end, newText: near }] }] : undefined;
          out.push({ ruleId: 'schema-quantity', message: `malformed quantity "${String(v)}": ${problem}`, start: node.start, end: node.end, fixes });
        }
      }
    }
  }

  private labelHooks(typeName: string, field: string, node: YMap, out: Finding[]): void {
    const isLabels =
      (typeName.endsWith('ObjectMeta') && field === 'labels') ||
      (typeName.endsWith('LabelSelector') && field === 'matchLabels') ||
      (typeName.endsWith('ServiceSpec') && field === 'selector');
    const isAnnotations = typeName.endsWith('ObjectMeta') && field === 'annotations';
    if (!isLabels && !isAnnotations) return;
    for (const p of node.pairs) {
      const key = String(p.key.value);
      const kp = labelKeyProblem(key);
      if (kp) out.push({ ruleId: 'schema-label', message: `${isLabels ? 'label' : 'annotation'} key "${key}": ${kp}`, start: p.key.start, end: p.key.end });
      if (isLabels && p.value.kind === 'scalar' && p.value.value !== null) {
        const vp = labelValueProblem(String(p.value.value));
        if (vp) out.push({ ruleId: 'schema-label', message: `label value "${String(p.value.value)}": ${vp}`, start: p.value.start, end: p.value.end });
      }
    }
  }

  private checkName(root: YMap, kind: string, out: Finding[]): void {
    const meta = root.pairs.find((p) => p.key.value === 'metadata');
    if (!meta || meta.value.kind !== 'map') {
      if (!meta) out.push({ ruleId: 'schema-required', message: 'missing required field "metadata" (with a name)', start: root.start, end: root.start + 1 });
      return;
    }
    const namePair = meta.value.pairs.find((p) => p.key.value === 'name');
    const hasGenerateName = meta.value.pairs.some((p) => p.key.value === 'generateName');
    if (!namePair) {
      if (!hasGenerateName) out.push({ ruleId: 'schema-required', message: 'missing required field "metadata.name"', start: meta.key.start, end: meta.key.end });
      return;
    }
    const v = namePair.value;
    if (v.kind !== 'scalar' || typeof v.value !== 'string' || PATH_NAMED_KINDS.has(kind)) return;
    const problem = LABEL_NAMED_KINDS.has(kind) ? dns1123LabelProblem(v.value) : dns1123SubdomainProblem(v.value);
    if (problem) out.push({ ruleId: 'schema-name', message: `${kind} name "${v.value}" ${problem}`, start: v.start, end: v.end });
  }
}

function typeError(node: YNode, expected: string, hint?: string): Finding {
  const got = node.kind === 'scalar' ? (node.value === null ? 'null' : typeof node.value === 'number' ? (Number.isInteger(node.value) ? 'integer' : 'number') : typeof node.value) : node.kind === 'map' ? 'object' : 'list';
  return {
    ruleId: 'schema-type',
    message: `expected ${expected}, got ${got}${hint ? ` (${hint})` : ''}`,
    start: node.start,
    end: node.end,
  };
}

function shortName(typeName: string): string {
  const base = typeName.split('.').pop() ?? typeName;
  return base.replace(/^(?:V\d+(?:alpha|beta)?\d*|CoreV1)(?=[A-Z])/, '');
}
