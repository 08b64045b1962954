/**
 * HorizontalPodAutoscalers (autoscaling/validation): replica bounds, the scale target, metric
 * sources and targets (autoscaling/v2), scaling behaviour, and autoscaling/v1's CPU target.
 */
import { forbidden, go, invalid, notSupported, required, type Report } from './fieldErrors';
import { FieldPath } from './fieldPath';
import { isDNS1123Label, isValidPathSegmentName } from './names';
import { formatQuantity, parseQuantity, sign } from './quantity';
import { validateContainerResourceName } from './resources';
import { int, isObj, obj, objs, s, str, type Obj } from './read';

const SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SOURCE_FIELDS: Record<string, string> = { Object: 'object', Pods: 'pods', Resource: 'resource', External: 'external', ContainerResource: 'containerResource' };

function validateReference(r: Report, ref: Obj, path: FieldPath): void {
  for (const f of ['kind', 'name']) {
    const v = s(ref[f]);
    if (!v) r.add(required(path.child(f)));
    else for (const m of isValidPathSegmentName(v)) r.add(invalid(path.child(f), v, m));
  }
}

function validateTarget(r: Report, target: Obj, path: FieldPath): void {
  const type = s(target.type);
  if (!type) r.add(required(path.child('type'), 'must specify a metric target type'));
  if (!['Utilization', 'Value', 'AverageValue'].includes(type)) r.add(invalid(path.child('type'), type, 'must be either Utilization, Value, or AverageValue'));
  for (const f of ['value', 'averageValue']) {
    const q = target[f] === undefined ? undefined : parseQuantity(target[f]);
    if (q && sign(q) !== 1) r.add(invalid(path.child(f), go(formatQuantity(q)), 'must be positive'));
  }
  const utilization = int(target.averageUtilization);
  if (utilization !== undefined && utilization < 1) r.add(invalid(path.child('averageUtilization'), utilization, 'must be greater than 0'));
}

function validateMetricName(r: Report, metric: Obj, path: FieldPath): void {
  const name = s(metric.name);
  if (!name) r.add(required(path.child('name'), 'must specify a metric name'));
  else for (const m of isValidPathSegmentName(name)) r.add(invalid(path.child('name'), name, m));
}

function has(o: Obj, f: string): boolean {
  return o[f] !== undefined && o[f] !== null;
}

function validateSource(r: Report, kind: string, src: Obj, path: FieldPath): void {
  const target = obj(src.target) ?? {};
  const tp = path.child('target');
  if (kind !== 'Resource' && kind !== 'ContainerResource') validateMetricName(r, obj(src.metric) ?? {}, path.child('metric'));
  if (kind === 'Object') validateReference(r, obj(src.describedObject) ?? {}, path.child('describedObject'));
  if (kind === 'ContainerResource') {
    const container = s(src.container);
    if (!container) r.add(required(path.child('container'), 'must specify a container'));
    else for (const m of isDNS1123Label(container)) r.add(invalid(path.child('container'), container, m));
  }
  if (kind === 'Resource' || kind === 'ContainerResource') {
    const name = s(src.name);
    if (!name) r.add(required(path.child('name'), 'must specify a resource name'));
    else if (kind === 'ContainerResource') validateContainerResourceName(r, name, path.child('name'));
  }
  validateTarget(r, target, tp);
  switch (kind) {
    case 'Object':
      if (!has(target, 'value') && !has(target, 'averageValue')) r.add(required(tp.child('averageValue'), 'must set either a target value or averageValue'));
      break;
    case 'External':
      if (!has(target, 'value') && !has(target, 'averageValue')) r.add(required(tp.child('averageValue'), 'must set either a target value for metric or a per-pod target'));
      if (has(target, 'value') && has(target, 'averageValue')) r.add(forbidden(tp.child('value'), 'may not set both a target value for metric and a per-pod target'));
      break;
    case 'Pods':
      if (!has(target, 'averageValue')) r.add(required(tp.child('averageValue'), 'must specify a positive target averageValue'));
      break;
    default:
      if (!has(target, 'averageUtilization') && !has(target, 'averageValue')) r.add(required(tp.child('averageUtilization'), 'must set either a target raw value or a target utilization'));
      if (has(target, 'averageUtilization') && has(target, 'averageValue')) r.add(forbidden(tp.child('averageValue'), 'may not set both a target raw value and a target utilization'));
  }
}

function validateMetric(r: Report, metric: Obj, path: FieldPath): void {
  const type = s(metric.type);
  if (!type) r.add(required(path.child('type'), 'must specify a metric source type'));
  if (!SOURCE_TYPES.includes(type)) r.add(notSupported(path.child('type'), type, SOURCE_TYPES));
  const present = Object.values(SOURCE_FIELDS).filter((f) => isObj(metric[f]));
  if (present.length) validateSource(r, Object.keys(SOURCE_FIELDS).find((k) => SOURCE_FIELDS[k] === present[0])!, obj(metric[present[0]])!, path.child(present[0]));
  const expected = SOURCE_FIELDS[type];
  if (expected && !isObj(metric[expected])) r.add(required(path.child(expected), 'must populate information for the given metric source'));
  if (SOURCE_TYPES.includes(type) && type && present.length !== 1) for (const f of present) if (f !== expected) r.add(forbidden(path.child(f), 'must populate the given metric source only'));
  if (type && !SOURCE_TYPES.includes(type)) r.add(notSupported(path.child('type'), type, SOURCE_TYPES));
}

function validateScalingRules(r: Report, rules: Obj, path: FieldPath): void {
  const window = int(rules.stabilizationWindowSeconds);
  if (window !== undefined && window < 0) r.add(invalid(path.child('stabilizationWindowSeconds'), window, 'must be greater than or equal to zero'));
  if (window !== undefined && window > 3600) r.add(invalid(path.child('stabilizationWindowSeconds'), window, 'must be less than or equal to 3600'));
  const select = str(rules.selectPolicy);
  if (select !== undefined && !['Disabled', 'Max', 'Min'].includes(select)) r.add(notSupported(path.child('selectPolicy'), select, ['Disabled', 'Max', 'Min']));
  for (const [policy, i] of objs(rules.policies)) {
    const p = path.child('policies').index(i);
    const type = s(policy.type);
    if (type !== 'Pods' && type !== 'Percent') r.add(notSupported(p.child('type'), type, ['Percent', 'Pods']));
    const value = int(policy.value) ?? 0;
    if (value <= 0) r.add(invalid(p.child('value'), value, 'must be greater than zero'));
    const period = int(policy.periodSeconds) ?? 0;
    if (period <= 0) r.add(invalid(p.child('periodSeconds'), period, 'must be greater than zero'));
    if (period > 1800) r.add(invalid(p.child('periodSeconds'), period, 'must be less than or equal to 1800'));
  }
}

export function validateHorizontalPodAutoscaler(r: Report, hpa: Obj, apiVersion: string): void {
  const sp = obj(hpa.spec) ?? {};
  const path = FieldPath.root('spec');
  r.as('server-autoscaling', () => {
    const min = int(sp.minReplicas);
    const max = int(sp.maxReplicas) ?? 0;
    if (min !== undefined && min < 1) r.add(invalid(path.child('minReplicas'), min, 'must be greater than or equal to 1'));
    if (max < 1) r.add(invalid(path.child('maxReplicas'), max, 'must be greater than 0'));
    if (min !== undefined && max < min) r.add(invalid(path.child('maxReplicas'), max, 'must be greater than or equal to `minReplicas`'));
    validateReference(r, obj(sp.scaleTargetRef) ?? {}, path.child('scaleTargetRef'));
    if (apiVersion === 'autoscaling/v1') {
      const cpu = int(sp.targetCPUUtilizationPercentage);
      // v1's CPU target converts to a Resource metric target before validation.
      if (cpu !== undefined && cpu < 1) r.add(invalid(path.child('metrics').index(0).child('resource', 'target', 'averageUtilization'), cpu, 'must be greater than 0'));
      return;
    }
    for (const [metric, i] of objs(sp.metrics)) validateMetric(r, metric, path.child('metrics').index(i));
    const behavior = obj(sp.behavior);
    for (const f of ['scaleUp', 'scaleDown']) {
      const rules = obj(behavior?.[f]);
      if (rules) validateScalingRules(r, rules, path.child('behavior', f));
    }
  });
}
