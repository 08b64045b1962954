/**
 * Pods and the workloads that carry pod templates (apps/validation and core/validation:
 * Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController, PodTemplate, Pod).
 */
import { forbidden, go, goPointer, invalid, notSupported, required, type Report } from './fieldErrors';
import { FieldPath } from './fieldPath';
import { IS_NEGATIVE, isValidPercent } from './names';
import { goLabelSelector, selectorIsEmpty, selectorMatches, templateLabelsMismatch, validateAnnotations, validateLabelSelector, validateLabels } from './meta';
import { validatePodOnly, validatePodSpec, validatePodTemplateSpec } from './podSpec';
import { int, intOrStringText, isObj, obj, objs, s, strMap, type Obj } from './read';
import { validateClaimTemplates } from './storage';
import type { ServerFeatures } from './versions';

const spec = FieldPath.root('spec');

export function nonNegative(r: Report, value: unknown, path: FieldPath): void {
  const n = int(value);
  if (n !== undefined && n < 0) r.add(invalid(path, n, IS_NEGATIVE));
}

/** An int-or-string: a percentage string or a non-negative integer. */
export function validatePositiveIntOrPercent(r: Report, v: unknown, path: FieldPath): void {
  if (typeof v === 'string') for (const m of isValidPercent(v)) r.add(invalid(path, go(v), m));
  else if (typeof v === 'number' && v < 0) r.add(invalid(path, v, IS_NEGATIVE));
}

export function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && isValidPercent(v).length === 0) return Number(v.slice(0, -1));
  return 0;
}

export function notMoreThan100Percent(r: Report, v: unknown, path: FieldPath): void {
  if (typeof v === 'string' && isValidPercent(v).length === 0 && Number(v.slice(0, -1)) > 100) r.add(invalid(path, go(v), 'must not be greater than 100%'));
}

function templateOf(s: Obj | undefined): Obj | undefined {
  return obj(s?.template);
}

function templateLabels(sp: Obj | undefined): Record<string, string> | undefined {
  return strMap(obj(templateOf(sp)?.metadata)?.labels);
}

/** The selector of a Deployment, ReplicaSet, StatefulSet or DaemonSet; answers whether it converts. */
function validateWorkloadSelector(r: Report, sp: Obj, kind: string, required_: boolean): boolean {
  const sel = sp.selector;
  if (!isObj(sel)) {
    if (required_) r.add(required(spec.child('selector')));
    return false;
  }
  const ok = validateLabelSelector(r, sel, spec.child('selector'));
  if (selectorIsEmpty(sel)) r.add(invalid(spec.child('selector'), goLabelSelector(sel), `empty selector is invalid for ${kind}`));
  return ok;
}

/** ValidatePodTemplateSpecForReplicaSet (Deployments and ReplicaSets share it). */
function validateReplicaSetTemplate(r: Report, sp: Obj, selectorOk: boolean, kindLabel: string, features: ServerFeatures): void {
  const t = templateOf(sp);
  const tp = spec.child('template');
  if (!t) return r.as('server-workloads', () => r.add(required(tp)));
  r.as('server-workloads', () => {
    if (selectorOk && isObj(sp.selector) && !selectorIsEmpty(sp.selector) && !selectorMatches(sp.selector, templateLabels(sp))) templateLabelsMismatch(r, obj(t.metadata)?.labels, tp.child('metadata', 'labels'));
  });
  validatePodTemplateSpec(r, t, features, tp);
  r.as('server-workloads', () => {
    const tspec = obj(t.spec) ?? {};
    if (s(tspec.restartPolicy) !== 'Always') r.add(notSupported(tp.child('spec', 'restartPolicy'), s(tspec.restartPolicy), ['Always']));
    if (tspec.activeDeadlineSeconds !== undefined && tspec.activeDeadlineSeconds !== null) r.add(forbidden(tp.child('spec', 'activeDeadlineSeconds'), `activeDeadlineSeconds in ${kindLabel} is not Supported`));
  });
}

function validateRollingUpdateDeployment(r: Report, ru: Obj, path: FieldPath): void {
  validatePositiveIntOrPercent(r, ru.maxUnavailable, path.child('maxUnavailable'));
  validatePositiveIntOrPercent(r, ru.maxSurge, path.child('maxSurge'));
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    r.add(invalid(path.child('maxUnavailable'), go(intOrStringText(ru.maxUnavailable)), 'may not be 0 when `maxSurge` is 0'));
  }
  notMoreThan100Percent(r, ru.maxUnavailable, path.child('maxUnavailable'));
}

export function validateDeployment(r: Report, o: Obj, features: ServerFeatures): void {
  const sp = obj(o.spec) ?? {};
  const selectorOk = r.as('server-workloads', () => {
    nonNegative(r, sp.replicas, spec.child('replicas'));
    return validateWorkloadSelector(r, sp, 'deployment', true);
  });
  validateReplicaSetTemplate(r, sp, selectorOk, 'ReplicaSet', features);
  r.as('server-workloads', () => {
    const strategy = obj(sp.strategy) ?? {};
    const sPath = spec.child('strategy');
    const type = s(strategy.type);
    if (type === 'Recreate') {
      if (isObj(strategy.rollingUpdate)) r.add(forbidden(sPath.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'"));
    } else if (type === 'RollingUpdate') {
      const ru = obj(strategy.rollingUpdate);
      if (!ru) r.add(required(sPath.child('rollingUpdate'), 'this should be defaulted and never be nil'));
      else validateRollingUpdateDeployment(r, ru, sPath.child('rollingUpdate'));
    } else r.add(notSupported(sPath, go(`apps.DeploymentStrategy{Type:${JSON.stringify(type)}, RollingUpdate:${goPointer('apps.RollingUpdateDeployment', strategy.rollingUpdate)}}`), ['Recreate', 'RollingUpdate']));
    nonNegative(r, sp.minReadySeconds, spec.child('minReadySeconds'));
    nonNegative(r, sp.revisionHistoryLimit, spec.child('revisionHistoryLimit'));
    const pds = int(sp.progressDeadlineSeconds);
    if (pds !== undefined) {
      nonNegative(r, pds, spec.child('progressDeadlineSeconds'));
      if (pds <= (int(sp.minReadySeconds) ?? 0)) r.add(invalid(spec.child('progressDeadlineSeconds'), pds, 'must be greater than minReadySeconds'));
    }
  });
}

export function validateReplicaSet(r: Report, o: Obj, features: ServerFeatures): void {
  const sp = obj(o.spec) ?? {};
  const selectorOk = r.as('server-workloads', () => {
    nonNegative(r, sp.replicas, spec.child('replicas'));
    nonNegative(r, sp.minReadySeconds, spec.child('minReadySeconds'));
    // The server reuses the Deployment's message here.
    return validateWorkloadSelector(r, sp, 'deployment', true);
  });
  validateReplicaSetTemplate(r, sp, selectorOk, 'ReplicaSet', features);
}

export function validateReplicationController(r: Report, o: Obj, features: ServerFeatures): void {
  const sp = obj(o.spec) ?? {};
  const selector = strMap(sp.selector) ?? {};
  r.as('server-workloads', () => {
    nonNegative(r, sp.minReadySeconds, spec.child('minReadySeconds'));
    if (Object.keys(selector).length === 0) r.add(required(spec.child('selector')));
    nonNegative(r, sp.replicas, spec.child('replicas'));
  });
  const t = templateOf(sp);
  const tp = spec.child('template');
  if (!t) return r.as('server-workloads', () => r.add(required(tp)));
  r.as('server-workloads', () => {
    const labels = templateLabels(sp) ?? {};
    if (Object.keys(selector).length > 0 && !Object.entries(selector).every(([k, v]) => labels[k] === v)) templateLabelsMismatch(r, labels, tp.child('metadata', 'labels'));
  });
  validatePodTemplateSpec(r, t, features, tp);
  r.as('server-workloads', () => {
    const tspec = obj(t.spec) ?? {};
    if (s(tspec.restartPolicy) !== 'Always') r.add(notSupported(tp.child('spec', 'restartPolicy'), s(tspec.restartPolicy), ['Always']));
    if (tspec.activeDeadlineSeconds !== undefined && tspec.activeDeadlineSeconds !== null) r.add(forbidden(tp.child('spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicationController is not Supported'));
  });
}

/**
 * StatefulSets: the server checks the selector, strategy and policies but not the pod template's
 * spec nor the claim templates; the controller's pods and claims are refused later. Those checks
 * run as warnings.
 */
export function validateStatefulSet(r: Report, o: Obj, features: ServerFeatures): void {
  const sp = obj(o.spec) ?? {};
  const t = templateOf(sp);
  const tp = spec.child('template');
  r.as('server-workloads', () => {
    const policy = s(sp.podManagementPolicy);
    if (!policy) r.add(required(spec.child('podManagementPolicy')));
    else if (policy !== 'OrderedReady' && policy !== 'Parallel') r.add(invalid(spec.child('podManagementPolicy'), policy, "must be 'OrderedReady' or 'Parallel'"));
    const strategy = obj(sp.updateStrategy) ?? {};
    const type = s(strategy.type);
    const up = spec.child('updateStrategy');
    if (!type) r.add(required(up));
    else if (type === 'OnDelete') {
      if (isObj(strategy.rollingUpdate)) r.add(invalid(up.child('rollingUpdate'), go(`apps.RollingUpdateStatefulSetStrategy{Partition:${int(obj(strategy.rollingUpdate)?.partition) ?? 0}, MaxUnavailable:${goPointer('intstr.IntOrString', obj(strategy.rollingUpdate)?.maxUnavailable)}}`), "only allowed for updateStrategy 'RollingUpdate'"));
    } else if (type === 'RollingUpdate') {
      const ru = obj(strategy.rollingUpdate);
      if (ru) {
        nonNegative(r, ru.partition, up.child('rollingUpdate', 'partition'));
        if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
          const mp = up.child('rollingUpdate', 'maxUnavailable');
          validatePositiveIntOrPercent(r, ru.maxUnavailable, mp);
          if (intOrPercentValue(ru.maxUnavailable) === 0) r.add(invalid(mp, go(intOrStringText(ru.maxUnavailable)), 'cannot be 0'));
          notMoreThan100Percent(r, ru.maxUnavailable, mp);
        }
      }
    } else r.add(invalid(up, go(`apps.StatefulSetUpdateStrategy{Type:${JSON.stringify(type)}, RollingUpdate:${goPointer('apps.RollingUpdateStatefulSetStrategy', strategy.rollingUpdate)}}`), "must be 'RollingUpdate' or 'OnDelete'"));
    const retention = obj(sp.persistentVolumeClaimRetentionPolicy);
    for (const f of ['whenDeleted', 'whenScaled']) {
      const v = s(retention?.[f]);
      if (retention && v !== 'Retain' && v !== 'Delete') r.add(notSupported(spec.child('persistentVolumeClaimRetentionPolicy', f), v, ['Retain', 'Delete']));
    }
    nonNegative(r, sp.replicas, spec.child('replicas'));
    nonNegative(r, sp.minReadySeconds, spec.child('minReadySeconds'));
    const start = int(obj(sp.ordinals)?.start);
    if (start !== undefined && start < 0) r.add({ ...invalid(spec.child('ordinals.start'), start, IS_NEGATIVE), at: spec.child('ordinals', 'start') });
    const selectorOk = validateWorkloadSelector(r, sp, 'statefulset', true);
    if (!t) r.add(required(tp));
    else if (selectorOk && isObj(sp.selector) && !selectorIsEmpty(sp.selector) && !selectorMatches(sp.selector, templateLabels(sp))) templateLabelsMismatch(r, obj(t.metadata)?.labels, tp.child('metadata', 'labels'));
  });
  if (!t) return;
  r.as('server-metadata', () => {
    const meta = obj(t.metadata) ?? {};
    validatePodTemplateLabels(r, meta, tp);
  });
  r.as('server-workloads', () => {
    const tspec = obj(t.spec) ?? {};
    if (s(tspec.restartPolicy) !== 'Always') r.add(notSupported(tp.child('spec', 'restartPolicy'), s(tspec.restartPolicy), ['Always']));
    if (tspec.activeDeadlineSeconds !== undefined && tspec.activeDeadlineSeconds !== null) r.add(forbidden(tp.child('spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in StatefulSet is not Supported'));
  });
  r.accepted('the API server does not check a StatefulSet\'s pod template, but it refuses the pods the controller creates from it', () => {
    const claims = objs(sp.volumeClaimTemplates).map(([c]) => s(obj(c.metadata)?.name)).filter(Boolean);
    validatePodSpec(r, obj(t.spec) ?? {}, { features, isPod: false, claimVolumes: claims }, tp.child('spec'));
  });
  r.as('server-storage', () => r.accepted("the API server does not check a StatefulSet's volumeClaimTemplates, but it refuses the claims the controller creates from them", () => validateClaimTemplates(r, sp.volumeClaimTemplates, spec.child('volumeClaimTemplates'))));
}

function validatePodTemplateLabels(r: Report, meta: Obj, tp: FieldPath): void {
  validateLabels(r, meta.labels, tp.child('labels'));
  validateAnnotations(r, meta.annotations, tp.child('annotations'));
}

export function validateDaemonSet(r: Report, o: Obj, features: ServerFeatures): void {
  const sp = obj(o.spec) ?? {};
  const tp = spec.child('template');
  r.as('server-workloads', () => {
    const ok = isObj(sp.selector) ? validateLabelSelector(r, sp.selector, spec.child('selector')) : true;
    if (ok && !selectorMatches(sp.selector, templateLabels(sp))) templateLabelsMismatch(r, obj(templateOf(sp)?.metadata)?.labels, tp.child('metadata', 'labels'));
    if (isObj(sp.selector) && selectorIsEmpty(sp.selector)) r.add(invalid(spec.child('selector'), goLabelSelector(sp.selector), 'empty selector is invalid for daemonset'));
  });
  validatePodTemplateSpec(r, templateOf(sp), features, tp);
  r.as('server-workloads', () => {
    const tspec = obj(templateOf(sp)?.spec) ?? {};
    if (s(tspec.restartPolicy) !== 'Always') r.add(notSupported(tp.child('spec', 'restartPolicy'), s(tspec.restartPolicy), ['Always']));
    if (tspec.activeDeadlineSeconds !== undefined && tspec.activeDeadlineSeconds !== null) r.add(forbidden(tp.child('spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in DaemonSet is not Supported'));
    nonNegative(r, sp.minReadySeconds, spec.child('minReadySeconds'));
    nonNegative(r, sp.templateGeneration, spec.child('templateGeneration'));
    const strategy = obj(sp.updateStrategy) ?? {};
    const up = spec.child('updateStrategy');
    const type = s(strategy.type);
    if (type === 'RollingUpdate') {
      const ru = obj(strategy.rollingUpdate);
      if (!ru) r.add(required(up.child('rollingUpdate')));
      else {
        const rp = up.child('rollingUpdate');
        validatePositiveIntOrPercent(r, ru.maxUnavailable, rp.child('maxUnavailable'));
        validatePositiveIntOrPercent(r, ru.maxSurge, rp.child('maxSurge'));
        notMoreThan100Percent(r, ru.maxUnavailable, rp.child('maxUnavailable'));
        notMoreThan100Percent(r, ru.maxSurge, rp.child('maxSurge'));
        const unavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
        const surge = intOrPercentValue(ru.maxSurge) !== 0;
        if (unavailable && surge) r.add(invalid(rp.child('maxSurge'), go(intOrStringText(ru.maxSurge)), 'may not be set when maxUnavailable is non-zero'));
        else if (!unavailable && !surge) r.add(required(rp.child('maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
      }
    } else if (type !== 'OnDelete') r.add(notSupported(up, go(`apps.DaemonSetUpdateStrategy{Type:${JSON.stringify(type)}, RollingUpdate:${goPointer('apps.RollingUpdateDaemonSet', strategy.rollingUpdate)}}`), ['RollingUpdate', 'OnDelete']));
    nonNegative(r, sp.revisionHistoryLimit, spec.child('revisionHistoryLimit'));
  });
}

export function validatePodTemplateObject(r: Report, o: Obj, features: ServerFeatures): void {
  validatePodTemplateSpec(r, obj(o.template), features, FieldPath.root('template'));
}

export function validatePod(r: Report, o: Obj, features: ServerFeatures): void {
  const podSpec = obj(o.spec) ?? {};
  validatePodSpec(r, podSpec, { features, isPod: true, podName: s(obj(o.metadata)?.name) || undefined }, spec);
  validatePodOnly(r, podSpec, spec);
}
