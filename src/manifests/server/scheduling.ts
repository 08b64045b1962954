/**
 * Scheduling fields of a pod spec: tolerations, node and pod (anti-)affinity, topology spread
 * constraints (core/validation: ValidateTolerations, validateAffinity, validateTopologySpreadConstraints).
 */
import { duplicate, forbidden, invalid, notSupported, required, type Report } from './fieldErrors';
import type { FieldPath } from './fieldPath';
import { isDNS1123Label, isValidLabelValue, nameIsDNSSubdomain } from './names';
import { validateLabelName, validateLabels, validateLabelSelector } from './meta';
import { arr, int, obj, objs, s, strMap, strings, type Obj } from './read';

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateTolerations(r: Report, tolerations: unknown, path: FieldPath): void {
  for (const [t, i] of objs(tolerations)) {
    const p = path.index(i);
    const key = s(t.key);
    const op = s(t.operator);
    const value = s(t.value);
    const effect = s(t.effect);
    if (key) validateLabelName(r, key, p.child('key'));
    if (!key && op !== 'Exists') r.add(invalid(p.child('operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute') r.add(invalid(p.child('effect'), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (op === 'Equal' || op === '') {
      const errs = isValidLabelValue(value);
      if (errs.length) r.add(invalid(p.child('operator'), value, errs.join(';')));
    } else if (op === 'Exists') {
      if (value) r.add(invalid(p.child('operator'), value, "value must be empty when `operator` is 'Exists'"));
    } else r.add(notSupported(p.child('operator'), op, ['Equal', 'Exists']));
    if (effect && !EFFECTS.includes(effect)) r.add(notSupported(p.child('effect'), effect, EFFECTS));
  }
}

function validateNodeSelectorRequirement(r: Report, rq: Obj, checkValues: boolean, path: FieldPath): void {
  const values = arr(rq.values);
  switch (rq.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) r.add(required(path.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) r.add(forbidden(path.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) r.add(required(path.child('values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      r.add(invalid(path.child('operator'), s(rq.operator), 'not a valid selector operator'));
  }
  validateLabelName(r, s(rq.key), path.child('key'));
  if (checkValues) values.forEach((v, i) => {
    if (typeof v === 'string') for (const m of isValidLabelValue(v)) r.add(invalid(path.child('values').index(i), v, m));
  });
}

function validateNodeSelectorTerm(r: Report, term: Obj, checkValues: boolean, path: FieldPath): void {
  for (const [rq, j] of objs(term.matchExpressions)) validateNodeSelectorRequirement(r, rq, checkValues, path.child('matchExpressions').index(j));
  for (const [rq, j] of objs(term.matchFields)) {
    const p = path.child('matchFields').index(j);
    if (rq.operator === 'In' || rq.operator === 'NotIn') {
      if (arr(rq.values).length !== 1) r.add(required(p.child('values'), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
    } else r.add(invalid(p.child('operator'), s(rq.operator), 'not a valid selector operator'));
    if (rq.key !== 'metadata.name') r.add(invalid(p.child('key'), s(rq.key), 'not a valid field selector key'));
    else strings(rq.values).forEach((v, k) => {
      for (const m of nameIsDNSSubdomain(v, false)) r.add(invalid(p.child('values').index(k), v, m));
    });
  }
}

function validatePodAffinityTerm(r: Report, term: Obj, path: FieldPath): void {
  validateLabelSelector(r, term.labelSelector, path.child('labelSelector'));
  validateLabelSelector(r, term.namespaceSelector, path.child('namespaceSelector'));
  for (const ns of strings(term.namespaces)) for (const m of isDNS1123Label(ns)) r.add(invalid(path.child('namespace'), ns, m));
  const selector = obj(term.labelSelector);
  for (const field of ['matchLabelKeys', 'mismatchLabelKeys']) {
    const keys = strings(term[field]);
    if (keys.length === 0) continue;
    if (!selector) {
      r.add(forbidden(path.child(field), 'must not be specified when labelSelector is not set'));
      continue;
    }
    keys.forEach((k, i) => validateLabelName(r, k, path.child(field).index(i)));
  }
  const mismatch = new Set(strings(term.mismatchLabelKeys));
  strings(term.matchLabelKeys).forEach((k, i) => {
    if (mismatch.has(k)) r.add(invalid(path.child('matchLabelKeys').index(i), k, 'exists in both matchLabelKeys and mismatchLabelKeys'));
  });
  const topologyKey = s(term.topologyKey);
  if (!topologyKey) r.add(required(path.child('topologyKey'), 'can not be empty'));
  validateLabelName(r, topologyKey, path.child('topologyKey'));
}

function validateWeight(r: Report, weight: unknown, path: FieldPath): void {
  const w = int(weight) ?? 0;
  if (w <= 0 || w > 100) r.add(invalid(path, w, 'must be in the range 1-100'));
}

export function validateAffinity(r: Report, affinity: unknown, path: FieldPath): void {
  const a = obj(affinity);
  if (!a) return;
  const node = obj(a.nodeAffinity);
  if (node) {
    const p = path.child('nodeAffinity');
    const req = obj(node.requiredDuringSchedulingIgnoredDuringExecution);
    if (req) {
      const terms = p.child('requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms');
      if (arr(req.nodeSelectorTerms).length === 0) r.add(required(terms, 'must have at least one node selector term'));
      for (const [term, i] of objs(req.nodeSelectorTerms)) validateNodeSelectorTerm(r, term, true, terms.index(i));
    }
    for (const [pref, i] of objs(node.preferredDuringSchedulingIgnoredDuringExecution)) {
      const pp = p.child('preferredDuringSchedulingIgnoredDuringExecution').index(i);
      validateWeight(r, pref.weight, pp.child('weight'));
      validateNodeSelectorTerm(r, obj(pref.preference) ?? {}, false, pp.child('preference'));
    }
  }
  for (const field of ['podAffinity', 'podAntiAffinity']) {
    const pa = obj(a[field]);
    if (!pa) continue;
    const p = path.child(field);
    for (const [term, i] of objs(pa.requiredDuringSchedulingIgnoredDuringExecution)) validatePodAffinityTerm(r, term, p.child('requiredDuringSchedulingIgnoredDuringExecution').index(i));
    for (const [weighted, i] of objs(pa.preferredDuringSchedulingIgnoredDuringExecution)) {
      const wp = p.child('preferredDuringSchedulingIgnoredDuringExecution').index(i);
      validateWeight(r, weighted.weight, wp.child('weight'));
      validatePodAffinityTerm(r, obj(weighted.podAffinityTerm) ?? {}, wp.child('podAffinityTerm'));
    }
  }
}

export function validateTopologySpreadConstraints(r: Report, constraints: unknown, path: FieldPath): void {
  const list = objs(constraints);
  list.forEach(([c, i]) => {
    const p = path.index(i);
    const maxSkew = int(c.maxSkew) ?? 0;
    if (maxSkew <= 0) r.add(invalid(p.child('maxSkew'), maxSkew, 'must be greater than zero'));
    if (!s(c.topologyKey)) r.add(required(p.child('topologyKey'), 'can not be empty'));
    const action = s(c.whenUnsatisfiable);
    if (action !== 'DoNotSchedule' && action !== 'ScheduleAnyway') r.add(notSupported(p.child('whenUnsatisfiable'), action, ['DoNotSchedule', 'ScheduleAnyway']));
    if (list.slice(list.findIndex(([, j]) => j === i) + 1).some(([o]) => s(o.topologyKey) === s(c.topologyKey) && s(o.whenUnsatisfiable) === action)) {
      r.add(duplicate(p.child('{topologyKey, whenUnsatisfiable}'), `{${s(c.topologyKey)}, ${action}}`));
    }
    const minDomains = int(c.minDomains);
    if (minDomains !== undefined) {
      if (minDomains <= 0) r.add(invalid(p.child('minDomains'), minDomains, 'must be greater than zero'));
      if (action !== 'DoNotSchedule') r.add(invalid(p.child('minDomains'), minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}`));
    }
    for (const policy of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      const v = c[policy];
      if (typeof v === 'string' && v !== 'Honor' && v !== 'Ignore') r.add(notSupported(p.child(policy), v, ['Honor', 'Ignore']));
    }
    const selector = obj(c.labelSelector);
    const keys = strings(c.matchLabelKeys);
    if (keys.length && !selector) r.add(forbidden(p.child('matchLabelKeys'), 'must not be specified when labelSelector is not set'));
    const selectorKeys = new Set([...Object.keys(strMap(selector?.matchLabels) ?? {}), ...objs(selector?.matchExpressions).map(([e]) => s(e.key))]);
    keys.forEach((k, j) => {
      validateLabelName(r, k, p.child('matchLabelKeys').index(j));
      if (selectorKeys.has(k)) r.add(invalid(p.child('matchLabelKeys').index(j), k, 'exists in both matchLabelKeys and labelSelector'));
    });
    validateLabelSelector(r, c.labelSelector, p.child('labelSelector'));
  });
}

export function validateNodeSelector(r: Report, nodeSelector: unknown, path: FieldPath): void {
  validateLabels(r, nodeSelector, path);
}
