/**
 * Validation errors shaped and worded like apimachinery's field.Error: the same error types
 * ("Required value", "Invalid value", "Unsupported value", ...), the same value formatting (Go's
 * %q for strings, %v for numbers, Stringer output for quantities and int-or-string values) and the
 * same StatusCause form ({reason, message, field}) a 422 response carries.
 */
import type { FieldPath } from './fieldPath';

export type ErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueNotFound'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany';

const TYPE_TEXT: Record<ErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueForbidden: 'Forbidden',
  FieldValueNotFound: 'Not found',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
};

/** A value already written the way Go's fmt prints it (a struct, a slice, a Stringer). */
export interface GoText {
  go: string;
}

export type BadValue = string | number | boolean | null | GoText;

/** The check family an error belongs to: one rule id of the editor and tether-lint. */
export type ServerRule =
  | 'server-metadata'
  | 'server-containers'
  | 'server-probes'
  | 'server-resources'
  | 'server-volumes'
  | 'server-pod-spec'
  | 'server-scheduling'
  | 'server-security-context'
  | 'server-workloads'
  | 'server-jobs'
  | 'server-services'
  | 'server-config'
  | 'server-storage'
  | 'server-networking'
  | 'server-policy'
  | 'server-rbac'
  | 'server-autoscaling'
  | 'server-field-ignored';

export interface FieldError {
  type: ErrorType;
  path: FieldPath;
  /** Absent for Required, Forbidden and TooLong, whose messages never show a value. */
  value?: BadValue;
  detail: string;
  rule: ServerRule;
  /** "warning": the server accepts the object, but what it describes will not work (see `note`). */
  severity: 'error' | 'warning';
  /** Why an accepted object still fails, for warnings (e.g. its pods will be refused). */
  note?: string;
  /** The resource name an error is about (requests and limits), for rules that report those themselves. */
  resource?: string;
  /** Where the field is written in a manifest, when the server names it differently. */
  at?: FieldPath;
  /** The values an Unsupported value error lists. */
  supported?: readonly string[];
}

export function go(text: string): GoText {
  return { go: text };
}

/** field.OmitValueType{}: the message names no value ("Invalid value: <detail>"). */
export const OMIT: GoText = { go: '' };

/**
 * A pointer field inside a struct the server prints with %#v: "(*T)(nil)", or, when set, its
 * address, which differs per request and is elided as "(*T)(...)".
 */
export function goPointer(type: string, value: unknown): string {
  return value === undefined || value === null ? `(*${type})(nil)` : `(*${type})(...)`;
}

/** Go's %q of a string (JSON escaping is the same for everything people write in manifests). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Go's %#v of a []string. */
export function goStrings(items: readonly string[]): GoText {
  return go(`[]string{${items.map(goQuote).join(', ')}}`);
}

/** Go's %#v of a map[string]string: keys sorted. */
export function goStringMap(map: Record<string, string> | undefined): GoText {
  const keys = Object.keys(map ?? {}).sort();
  return go(`map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(String(map![k]))}`).join(', ')}}`);
}

function formatValue(v: BadValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v.go;
}

/** The message without the field: "Invalid value: \"Web\": a lowercase RFC 1123 label must ...". */
export function errorBody(e: Pick<FieldError, 'type' | 'value' | 'detail'>): string {
  let s = TYPE_TEXT[e.type];
  const showsValue = e.type !== 'FieldValueRequired' && e.type !== 'FieldValueForbidden' && e.type !== 'FieldValueTooLong' && e.value !== undefined && e.value !== OMIT;
  if (showsValue) s += `: ${formatValue(e.value as BadValue)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** "spec.replicas: Invalid value: -1: must be greater than or equal to 0". */
export function errorText(e: FieldError): string {
  const field = e.path.toString();
  return field ? `${field}: ${errorBody(e)}` : errorBody(e);
}

type Draft = Omit<FieldError, 'rule' | 'severity'>;

export function required(path: FieldPath, detail = ''): Draft {
  return { type: 'FieldValueRequired', path, detail };
}

export function invalid(path: FieldPath, value: BadValue, detail: string): Draft {
  return { type: 'FieldValueInvalid', path, value, detail };
}

export function notSupported(path: FieldPath, value: BadValue, supported: readonly string[]): Draft {
  return { type: 'FieldValueNotSupported', path, value, detail: supported.length ? `supported values: ${supported.map(goQuote).join(', ')}` : '', supported };
}

export function duplicate(path: FieldPath, value: BadValue): Draft {
  return { type: 'FieldValueDuplicate', path, value, detail: '' };
}

export function forbidden(path: FieldPath, detail: string): Draft {
  return { type: 'FieldValueForbidden', path, detail };
}

export function notFound(path: FieldPath, value: BadValue, detail = ''): Draft {
  return { type: 'FieldValueNotFound', path, value, detail };
}

export function tooLong(path: FieldPath, maxBytes: number): Draft {
  return { type: 'FieldValueTooLong', path, detail: `must have at most ${maxBytes} bytes` };
}

export function tooMany(path: FieldPath, actual: number, max: number): Draft {
  return { type: 'FieldValueTooMany', path, value: actual, detail: `must have at most ${max} items` };
}

/**
 * Collects errors for one object. The family (rule) and severity in force are set by whoever
 * dispatches a group of checks, so individual checks only say what is wrong.
 */
export class Report {
  readonly errors: FieldError[] = [];
  private rule: ServerRule = 'server-metadata';
  private severity: 'error' | 'warning' = 'error';
  private note: string | undefined;

  /** Takes a fresh draft (from required(), invalid(), ...) and completes it in place. */
  add(draft: Draft): void {
    const e = draft as FieldError;
    e.rule = this.rule;
    e.severity = this.severity;
    if (this.note) e.note = this.note;
    this.errors.push(e);
  }

  addAll(drafts: readonly Draft[]): void {
    for (const d of drafts) this.add(d);
  }

  // No try/finally below: a check that throws ends the whole validation, and its Report with it.

  /** Runs checks under a rule family. */
  as<T>(rule: ServerRule, run: () => T): T {
    const before = this.rule;
    this.rule = rule;
    const out = run();
    this.rule = before;
    return out;
  }

  /** Runs checks whose failures the server does not refuse but that will not work: warnings with a reason. */
  accepted<T>(note: string, run: () => T): T {
    const severity = this.severity;
    const prevNote = this.note;
    this.severity = 'warning';
    this.note = note;
    const out = run();
    this.severity = severity;
    this.note = prevNote;
    return out;
  }

  get count(): number {
    return this.errors.length;
  }
}

/** A 422 Status cause, as `details.causes` carries it. */
export interface StatusCause {
  reason: ErrorType;
  message: string;
  field: string;
}

/** The causes of a refusal (errors only, duplicates dropped as ToAggregate does). */
export function statusCauses(errors: readonly FieldError[]): StatusCause[] {
  const seen = new Set<string>();
  const out: StatusCause[] = [];
  for (const e of errors) {
    if (e.severity !== 'error') continue;
    const text = errorText(e);
    if (seen.has(text)) continue;
    seen.add(text);
    out.push({ reason: e.type, message: errorBody(e), field: e.path.toString() });
  }
  return out;
}
