/**
 * PodDisruptionBudgets (policy/validation), ResourceQuotas, LimitRanges and Namespaces
 * (core/validation).
 */
import { duplicate, forbidden, go, goStrings, invalid, required, type Report } from './fieldErrors';
import { FieldPath } from './fieldPath';
import { isQualifiedName, nameIsDNSLabel } from './names';
import { validateLabelSelector } from './meta';
import { compareQuantities, formatQuantity, toNumber, type Quantity } from './quantity';
import { isOvercommitAllowed, quantities, validateContainerResourceName, validateQuantityValue, validateQuotaResourceName, validateResourceName } from './resources';
import { arr, obj, objs, s, str, strings, type Obj } from './read';
import { notMoreThan100Percent, validatePositiveIntOrPercent } from './workloads';

export function validatePodDisruptionBudget(r: Report, pdb: Obj): void {
  const sp = obj(pdb.spec) ?? {};
  const path = FieldPath.root('spec');
  r.as('server-policy', () => {
    const has = (k: string): boolean => sp[k] !== undefined && sp[k] !== null;
    if (has('minAvailable') && has('maxUnavailable')) r.add(invalid(path, go('policy.PodDisruptionBudgetSpec{...}'), 'minAvailable and maxUnavailable cannot be both set'));
    for (const f of ['minAvailable', 'maxUnavailable']) {
      if (!has(f)) continue;
      validatePositiveIntOrPercent(r, sp[f], path.child(f));
      notMoreThan100Percent(r, sp[f], path.child(f));
    }
    validateLabelSelector(r, sp.selector, path.child('selector'));
    const policy = str(sp.unhealthyPodEvictionPolicy);
    if (policy !== undefined && policy !== 'IfHealthyBudget' && policy !== 'AlwaysAllow') {
      r.add({ type: 'FieldValueNotSupported', path: path.child('unhealthyPodEvictionPolicy'), value: policy, detail: 'supported values: "AlwaysAllow", "IfHealthyBudget"' });
    }
  });
}

const SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating', 'VolumeAttributesClass'];
const EXISTS_ONLY = ['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity'];

export function validateResourceQuota(r: Report, quota: Obj): void {
  const sp = obj(quota.spec) ?? {};
  const path = FieldPath.root('spec');
  r.as('server-policy', () => {
    for (const [name, q] of quantities(sp.hard)) {
      const p = path.child('hard').key(name);
      validateQuotaResourceName(r, name, p);
      validateQuantityValue(r, name, q, p);
    }
    const scopes = strings(sp.scopes);
    for (const scope of scopes) if (!SCOPES.includes(scope)) r.add(invalid(path.child('scopes'), goStrings(scopes), 'unsupported scope'));
    const conflicting = (a: string, b: string): boolean => scopes.includes(a) && scopes.includes(b);
    if (conflicting('BestEffort', 'NotBestEffort') || conflicting('Terminating', 'NotTerminating')) r.add(invalid(path.child('scopes'), goStrings(scopes), 'conflicting scopes'));
    const selector = obj(sp.scopeSelector);
    for (const [req] of objs(selector?.matchExpressions)) {
      const p = path.child('scopeSelector', 'matchExpressions');
      const scope = s(req.scopeName);
      if (!SCOPES.includes(scope)) r.add(invalid(p.child('scopeName'), scope, 'unsupported scope'));
      const op = s(req.operator);
      if (EXISTS_ONLY.includes(scope) && op !== 'Exists') r.add(invalid(p.child('operator'), op, "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity"));
      const values = arr(req.values);
      if (op === 'In' || op === 'NotIn') {
        if (values.length === 0) r.add(required(p.child('values'), "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
      } else if (op === 'Exists' || op === 'DoesNotExist') {
        if (values.length) r.add(invalid(p.child('values'), goStrings(strings(values)), "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
      } else r.add(invalid(p.child('operator'), op, 'not a valid selector operator'));
    }
  });
}

const LIMIT_TYPES = ['Container', 'Pod', 'PersistentVolumeClaim'];

export function validateLimitRange(r: Report, lr: Obj): void {
  const path = FieldPath.root('spec', 'limits');
  r.as('server-policy', () => {
    const types = new Set<string>();
    for (const [limit, i] of objs(obj(lr.spec)?.limits)) {
      const p = path.index(i);
      const type = s(limit.type);
      for (const m of isQualifiedName(type)) r.add(invalid(p.child('type'), type, m));
      if (!type.includes('/') && isQualifiedName(type).length === 0 && !LIMIT_TYPES.includes(type)) r.add(invalid(p.child('type'), type, 'must be a standard limit type or fully qualified'));
      if (types.has(type)) r.add(duplicate(p.child('type'), type));
      types.add(type);
      const nameCheck = type === 'Pod' || type === 'Container' ? validateContainerResourceName : validateResourceName;
      const lists: Record<string, Map<string, Quantity>> = {};
      for (const f of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) {
        lists[f] = quantities(limit[f]);
        if (type === 'Pod' && (f === 'default' || f === 'defaultRequest')) {
          if (lists[f].size > 0) r.add(forbidden(p.child(f), "may not be specified when `type` is 'Pod'"));
          lists[f] = new Map();
          continue;
        }
        for (const name of lists[f].keys()) nameCheck(r, name, p.child(f).key(name));
      }
      if (type === 'PersistentVolumeClaim' && !lists.min.has('storage') && !lists.max.has('storage')) r.add(required(p.child('limits'), 'either minimum or maximum storage value is required, but neither was provided'));
      const keys = new Set(Object.values(lists).flatMap((m) => [...m.keys()]));
      for (const k of keys) {
        const [min, max, def, defReq, ratio] = [lists.min.get(k), lists.max.get(k), lists.default.get(k), lists.defaultRequest.get(k), lists.maxLimitRequestRatio.get(k)];
        const f = formatQuantity;
        if (min && max && compareQuantities(min, max) > 0) r.add(invalid(p.child('min').key(k), go(f(min)), `min value ${f(min)} is greater than max value ${f(max)}`));
        if (defReq && min && compareQuantities(min, defReq) > 0) r.add(invalid(p.child('defaultRequest').key(k), go(f(defReq)), `min value ${f(min)} is greater than default request value ${f(defReq)}`));
        if (defReq && max && compareQuantities(defReq, max) > 0) r.add(invalid(p.child('defaultRequest').key(k), go(f(defReq)), `default request value ${f(defReq)} is greater than max value ${f(max)}`));
        if (defReq && def && compareQuantities(defReq, def) > 0) r.add(invalid(p.child('defaultRequest').key(k), go(f(defReq)), `default request value ${f(defReq)} is greater than default limit value ${f(def)}`));
        if (def && min && compareQuantities(min, def) > 0) r.add(invalid(p.child('default').key(k), go(f(min)), `min value ${f(min)} is greater than default value ${f(def)}`));
        if (def && max && compareQuantities(def, max) > 0) r.add(invalid(p.child('default').key(k), go(f(max)), `default value ${f(def)} is greater than max value ${f(max)}`));
        if (ratio && toNumber(ratio) < 1) r.add(invalid(p.child('maxLimitRequestRatio').key(k), go(f(ratio)), `ratio ${f(ratio)} is less than 1`));
        if (ratio && min && max && toNumber(ratio) > toNumber(max) / toNumber(min)) {
          r.add(invalid(p.child('maxLimitRequestRatio').key(k), go(f(ratio)), `ratio ${f(ratio)} is greater than max/min = ${(toNumber(max) / toNumber(min)).toFixed(6)}`));
        }
        if (!isOvercommitAllowed(k) && def && defReq && compareQuantities(def, defReq) !== 0) r.add(invalid(p.child('defaultRequest').key(k), go(f(defReq)), `default value ${f(def)} must equal to defaultRequest value ${f(defReq)} in ${k}`));
      }
    }
  });
}

export function validateNamespace(r: Report, ns: Obj): void {
  r.as('server-policy', () => {
    strings(obj(ns.spec)?.finalizers).forEach((f) => {
      const p = FieldPath.root('spec', 'finalizers');
      for (const m of isQualifiedName(f)) r.add(invalid(p, f, m));
      if (!f.includes('/') && f !== 'kubernetes' && f !== 'orphan' && f !== 'foregroundDeletion') r.add(invalid(p, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    });
  });
}

export const namespaceNameFn = nameIsDNSLabel;
