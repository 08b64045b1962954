/**
 * ObjectMeta, labels, annotations, finalizers, owner references and label selectors, as
 * apimachinery's api/validation and apis/meta/v1/validation check them.
 */
import { forbidden, go, goStringMap, goStrings, invalid, required, tooLong, type GoText, type Report } from './fieldErrors';
import type { FieldPath } from './fieldPath';
import { byteLength, isDNS1123Label, isQualifiedName, isValidLabelValue, type NameFn } from './names';
import { arr, int, isObj, objs, s, str, strMap, strings, type Obj } from './read';

const TOTAL_ANNOTATION_SIZE = 256 * 1024;
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export function validateLabelName(r: Report, name: string, path: FieldPath): void {
  for (const m of isQualifiedName(name)) r.add(invalid(path, name, m));
}

export function validateLabels(r: Report, labels: unknown, path: FieldPath): void {
  if (!isObj(labels)) return;
  for (const [k, v] of Object.entries(labels)) {
    validateLabelName(r, k, path);
    if (typeof v === 'string') for (const m of isValidLabelValue(v)) r.add(invalid(path, v, m));
  }
}

export function validateAnnotations(r: Report, annotations: unknown, path: FieldPath): void {
  if (!isObj(annotations)) return;
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    // The rule is a qualified name, except that case does not matter.
    for (const m of isQualifiedName(k.toLowerCase())) r.add(invalid(path, k, m));
    size += byteLength(k) + (typeof v === 'string' ? byteLength(v) : 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE) r.add(tooLong(path, TOTAL_ANNOTATION_SIZE));
}

export interface MetaOptions {
  nameFn: NameFn;
  /** The core group's ValidateObjectMeta also insists finalizer names be standard or fully qualified. */
  kubeFinalizers?: boolean;
}

/** ValidateObjectMeta on create. The namespace comes from the request, so only its form is checked. */
export function validateObjectMeta(r: Report, meta: Obj | undefined, opts: MetaOptions, path: FieldPath): void {
  const m = meta ?? {};
  const generateName = s(m.generateName);
  const name = s(m.name);
  if (generateName) for (const msg of opts.nameFn(generateName, true)) r.add(invalid(path.child('generateName'), generateName, msg));
  if (!name) {
    if (!generateName) r.add(required(path.child('name'), 'name or generateName is required'));
  } else {
    for (const msg of opts.nameFn(name, false)) r.add(invalid(path.child('name'), name, msg));
  }
  const ns = str(m.namespace);
  if (ns) for (const msg of isDNS1123Label(ns)) r.add(invalid(path.child('namespace'), ns, msg));
  const generation = int(m.generation);
  if (generation !== undefined && generation < 0) r.add(invalid(path.child('generation'), generation, 'must be greater than or equal to 0'));
  validateLabels(r, m.labels, path.child('labels'));
  validateAnnotations(r, m.annotations, path.child('annotations'));
  validateOwnerReferences(r, m.ownerReferences, path.child('ownerReferences'));
  validateFinalizers(r, m.finalizers, path.child('finalizers'), !!opts.kubeFinalizers);
}

function validateOwnerReferences(r: Report, refs: unknown, path: FieldPath): void {
  let controller = '';
  for (const [ref] of objs(refs)) {
    const apiVersion = s(ref.apiVersion);
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    if (!version) r.add(invalid(path.child('apiVersion'), apiVersion, 'version must not be empty'));
    if (!s(ref.kind)) r.add(invalid(path.child('kind'), s(ref.kind), 'must not be empty'));
    if (!s(ref.name)) r.add(invalid(path.child('name'), s(ref.name), 'must not be empty'));
    if (!s(ref.uid)) r.add(invalid(path.child('uid'), s(ref.uid), 'must not be empty'));
    if (version === 'v1' && apiVersion === 'v1' && ref.kind === 'Event') r.add(invalid(path, go(`v1.OwnerReference{...}`), '/v1, Kind=Event is disallowed from being an owner'));
    if (ref.controller === true) {
      const current = `${s(ref.kind)}/${s(ref.name)}`;
      if (controller) r.add(invalid(path, go('[]v1.OwnerReference{...}'), `Only one reference can have Controller set to true. Found "true" in references for ${controller} and ${current}`));
      else controller = current;
    }
  }
}

function validateFinalizers(r: Report, finalizers: unknown, path: FieldPath, kube: boolean): void {
  const list = strings(finalizers);
  list.forEach((f, i) => {
    for (const m of isQualifiedName(f)) r.add(invalid(path, f, m));
    if (kube && !f.includes('/') && !STANDARD_FINALIZERS.has(f)) r.add(invalid(path.index(i), f, 'name is neither a standard finalizer name nor is it fully qualified'));
  });
  if (list.includes('orphan') && list.includes('foregroundDeletion')) r.add(invalid(path, goStrings(list), 'finalizer orphan and foregroundDeletion cannot be both set'));
}

const SELECTOR_OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** ValidateLabelSelector; answers whether the selector converts (LabelSelectorAsSelector succeeds). */
export function validateLabelSelector(r: Report, selector: unknown, path: FieldPath): boolean {
  if (!isObj(selector)) return true;
  const before = r.count;
  validateLabels(r, selector.matchLabels, path.child('matchLabels'));
  for (const [expr, i] of objs(selector.matchExpressions)) {
    const p = path.child('matchExpressions').index(i);
    const op = s(expr.operator);
    const values = arr(expr.values);
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) r.add(required(p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) r.add(forbidden(p.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else r.add(invalid(p.child('operator'), op, 'not a valid selector operator'));
    validateLabelName(r, s(expr.key), p.child('key'));
    arr(expr.values).forEach((v, j) => {
      if (typeof v === 'string') for (const m of isValidLabelValue(v)) r.add(invalid(p.child('values').index(j), v, m));
    });
  }
  return r.count === before;
}

/** Whether a label selector ({matchLabels, matchExpressions}) is empty, i.e. selects everything. */
export function selectorIsEmpty(selector: unknown): boolean {
  if (!isObj(selector)) return false;
  return Object.keys(strMap(selector.matchLabels) ?? {}).length + arr(selector.matchExpressions).length === 0;
}

/** labels.Selector.Matches for a converted LabelSelector (nil selects nothing, empty everything). */
export function selectorMatches(selector: unknown, labels: Record<string, string> | undefined): boolean {
  if (!isObj(selector)) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(strMap(selector.matchLabels) ?? {})) if (l[k] !== v) return false;
  for (const [expr] of objs(selector.matchExpressions)) {
    const key = s(expr.key);
    const values = strings(expr.values);
    const present = Object.prototype.hasOwnProperty.call(l, key);
    switch (expr.operator) {
      case 'In':
        if (!present || !values.includes(l[key])) return false;
        break;
      case 'NotIn':
        if (present && values.includes(l[key])) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        if (!SELECTOR_OPERATORS.has(s(expr.operator))) return false;
    }
  }
  return true;
}

/**
 * A LabelSelector as the server prints it in an error: through its generated String() method
 * (field.Error prints Stringers that way), e.g.
 * `&LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}`.
 */
export function goLabelSelector(selector: unknown): GoText {
  const sel = isObj(selector) ? selector : {};
  const labels = strMap(sel.matchLabels) ?? {};
  const map = Object.keys(labels).sort().map((k) => `${k}: ${labels[k]},`).join('');
  const exprs = objs(sel.matchExpressions).map(([e]) => `LabelSelectorRequirement{Key:${s(e.key)},Operator:${s(e.operator)},Values:[${strings(e.values).join(' ')}],},`).join('');
  return go(`&LabelSelector{MatchLabels:map[string]string{${map}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`);
}

/** "`selector` does not match template `labels`" with the labels as the server prints them. */
export function templateLabelsMismatch(r: Report, labels: unknown, path: FieldPath): void {
  r.add(invalid(path, goStringMap(strMap(labels)), '`selector` does not match template `labels`'));
}
