/**
 * Jobs and CronJobs (batch/validation): parallelism and completions, completion modes, pod
 * failure and success policies, restart policy, generated selectors, schedules and time zones.
 */
import { duplicate, forbidden, go, invalid, OMIT, notSupported, required, tooMany, type Report } from './fieldErrors';
import { FieldPath } from './fieldPath';
import { cronScheduleError } from './cron';
import { goLabelSelector, selectorMatches, templateLabelsMismatch, validateLabelSelector } from './meta';
import { isDNS1123Label, isQualifiedName } from './names';
import { validatePodTemplateSpec } from './podSpec';
import { arr, int, isObj, obj, objs, s, str, strMap, type Obj } from './read';
import { isKnownTimeZone } from './timeZone';
import type { ServerFeatures } from './versions';
import { nonNegative } from './workloads';

const MAX_INDEXED_PARALLELISM = 100000;
const POD_FAILURE_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];

function validatePodFailurePolicy(r: Report, sp: Obj, policy: Obj, path: FieldPath): void {
  const rules = arr(policy.rules);
  if (rules.length > 20) r.add(tooMany(path.child('rules'), rules.length, 20));
  const template = obj(obj(sp.template)?.spec) ?? {};
  const names = new Set([...objs(template.containers), ...objs(template.initContainers)].map(([c]) => s(c.name)));
  for (const [rule, i] of objs(policy.rules)) {
    const rp = path.child('rules').index(i);
    const action = s(rule.action);
    if (!action) r.add(required(rp.child('action'), `valid values: ${JSON.stringify(POD_FAILURE_ACTIONS).replace(/,/g, ' ')}`));
    else if (action === 'FailIndex') {
      if (sp.backoffLimitPerIndex === undefined || sp.backoffLimitPerIndex === null) r.add(invalid(rp.child('action'), action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!POD_FAILURE_ACTIONS.includes(action)) r.add(notSupported(rp.child('action'), action, POD_FAILURE_ACTIONS));
    const onExit = obj(rule.onExitCodes);
    if (onExit) {
      const ep = rp.child('onExitCodes');
      const op = s(onExit.operator);
      if (!op) r.add(required(ep.child('operator'), 'valid values: ["In" "NotIn"]'));
      else if (op !== 'In' && op !== 'NotIn') r.add(notSupported(ep.child('operator'), op, ['In', 'NotIn']));
      const container = str(onExit.containerName);
      if (container !== undefined && !names.has(container)) r.add(invalid(ep.child('containerName'), container, 'must be one of the container or initContainer names in the pod template'));
      const values = arr(onExit.values).filter((v): v is number => typeof v === 'number');
      if (values.length === 0) r.add(invalid(ep.child('values'), go('[]int32{}'), 'at least one value is required'));
      else if (values.length > 255) r.add(tooMany(ep.child('values'), values.length, 255));
      const seen = new Set<number>();
      values.forEach((v, j) => {
        if (op === 'In' && v === 0) r.add(invalid(ep.child('values').index(j), v, 'must not be 0 for the In operator'));
        if (seen.has(v)) r.add(duplicate(ep.child('values').index(j), v));
        seen.add(v);
      });
      if (values.some((v, j) => j > 0 && values[j - 1] > v)) r.add(invalid(ep.child('values'), go(`[]int32{${values.join(', ')}}`), 'must be ordered'));
    }
    const onConditions = arr(rule.onPodConditions);
    for (const [pattern, j] of objs(rule.onPodConditions)) {
      const pp = rp.child('onPodConditions').index(j);
      for (const m of isQualifiedName(s(pattern.type))) r.add(invalid(pp.child('type'), s(pattern.type), m));
      const status = s(pattern.status);
      if (!status) r.add(required(pp.child('status'), 'valid values: ["False" "True" "Unknown"]'));
      else if (!['False', 'True', 'Unknown'].includes(status)) r.add(notSupported(pp.child('status'), status, ['False', 'True', 'Unknown']));
    }
    if (onExit && onConditions.length > 0) r.add(invalid(rp, OMIT, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    if (!onExit && onConditions.length === 0) r.add(invalid(rp, OMIT, 'specifying one of OnExitCodes and OnPodConditions is required'));
  }
}

/** validateJobSpec: shared by Jobs and CronJobs' job templates. */
function validateJobSpec(r: Report, sp: Obj, features: ServerFeatures, path: FieldPath): void {
  r.as('server-jobs', () => {
    for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes']) nonNegative(r, sp[f], path.child(f));
    if (sp.maxFailedIndexes !== undefined && sp.maxFailedIndexes !== null && (sp.backoffLimitPerIndex === undefined || sp.backoffLimitPerIndex === null)) r.add(required(path.child('backoffLimitPerIndex'), 'when maxFailedIndexes is specified'));
    const mode = s(sp.completionMode);
    const indexed = mode === 'Indexed';
    if (mode && mode !== 'NonIndexed' && !indexed) r.add(notSupported(path.child('completionMode'), mode, ['NonIndexed', 'Indexed']));
    if (indexed) {
      if (sp.completions === undefined || sp.completions === null) r.add(required(path.child('completions'), 'when completion mode is Indexed'));
      const parallelism = int(sp.parallelism);
      if (parallelism !== undefined && parallelism > MAX_INDEXED_PARALLELISM) r.add(invalid(path.child('parallelism'), parallelism, `must be less than or equal to ${MAX_INDEXED_PARALLELISM} when completion mode is Indexed`));
      const completions = int(sp.completions);
      const maxFailed = int(sp.maxFailedIndexes);
      if (completions !== undefined && maxFailed !== undefined && maxFailed > completions) r.add(invalid(path.child('maxFailedIndexes'), maxFailed, 'must be less than or equal to completions'));
    } else {
      for (const f of ['backoffLimitPerIndex', 'maxFailedIndexes']) {
        const v = int(sp[f]);
        if (v !== undefined) r.add(invalid(path.child(f), v, 'requires indexed completion mode'));
      }
      if (isObj(sp.successPolicy)) r.add(invalid(path.child('successPolicy'), go('batch.SuccessPolicy{...}'), 'requires indexed completion mode'));
    }
    const failurePolicy = obj(sp.podFailurePolicy);
    if (failurePolicy) validatePodFailurePolicy(r, sp, failurePolicy, path.child('podFailurePolicy'));
    const replacement = str(sp.podReplacementPolicy);
    if (replacement !== undefined) {
      if (failurePolicy && replacement !== 'Failed') r.add(notSupported(path.child('podReplacementPolicy'), replacement, ['Failed']));
      else if (replacement !== 'Failed' && replacement !== 'TerminatingOrFailed') r.add(notSupported(path.child('podReplacementPolicy'), replacement, ['Failed', 'TerminatingOrFailed']));
    }
  });
  validatePodTemplateSpec(r, obj(sp.template), features, path.child('template'));
  r.as('server-jobs', () => {
    const restart = s(obj(obj(sp.template)?.spec)?.restartPolicy);
    const rp = path.child('template', 'spec', 'restartPolicy');
    if (restart === 'Always' || restart === '') r.add(required(rp, 'valid values: "OnFailure", "Never"'));
    else if (restart !== 'OnFailure' && restart !== 'Never') r.add(notSupported(rp, restart, ['OnFailure', 'Never']));
    else if (isObj(sp.podFailurePolicy) && restart !== 'Never') r.add(invalid(rp, restart, 'only "Never" is supported when podFailurePolicy is specified'));
  });
}

const GENERATED_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid', 'job-name', 'batch.kubernetes.io/job-name'];

export function validateJob(r: Report, job: Obj, features: ServerFeatures): void {
  const sp = obj(job.spec) ?? {};
  const path = FieldPath.root('spec');
  validateJobSpec(r, sp, features, path);
  r.as('server-jobs', () => {
    const selector = sp.selector;
    if (!isObj(selector)) r.add(required(path.child('selector')));
    const ok = validateLabelSelector(r, selector, path.child('selector'));
    const labels = strMap(obj(obj(sp.template)?.metadata)?.labels) ?? {};
    if (ok && isObj(selector) && !selectorMatches(selector, labels)) templateLabelsMismatch(r, labels, path.child('template', 'metadata', 'labels'));
    if (sp.manualSelector !== true && isObj(selector)) {
      // A generated selector selects only the labels the server generated for this Job.
      const expected: Record<string, string> = {};
      for (const key of GENERATED_LABELS) if (labels[key] !== undefined) expected[key] = labels[key];
      if (!selectorMatches(selector, expected) || Object.keys(strMap(selector.matchLabels) ?? {}).some((k) => !GENERATED_LABELS.includes(k))) {
        r.add(invalid(path.child('selector'), goLabelSelector(selector), '`selector` not auto-generated'));
      }
    }
    const completions = int(sp.completions);
    const name = s(obj(job.metadata)?.name);
    if (sp.completionMode === 'Indexed' && completions !== undefined && completions > 0 && name) {
      const hostname = `${name}-${completions - 1}`;
      if (isDNS1123Label(hostname).length) r.add(invalid(FieldPath.root('metadata', 'name'), name, `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  });
}

const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

function validateTimeZone(r: Report, tz: unknown, path: FieldPath): void {
  if (typeof tz !== 'string') return;
  if (tz === '') return r.add(invalid(path, '', 'timeZone must be nil or non-empty string'));
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !TIME_ZONE_PART.test(part)) return r.add(invalid(path, tz, `unknown time zone ${tz}`));
  }
  if (tz.toLowerCase() === 'local') r.add(invalid(path, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  else if (!isKnownTimeZone(tz)) r.add(invalid(path, tz, `unknown time zone ${tz}`));
}

export function validateCronJob(r: Report, cj: Obj, features: ServerFeatures): void {
  const sp = obj(cj.spec) ?? {};
  const path = FieldPath.root('spec');
  r.as('server-jobs', () => {
    const schedule = s(sp.schedule);
    const sched = path.child('schedule');
    if (!schedule) r.add(required(sched));
    else {
      const err = cronScheduleError(schedule, isKnownTimeZone);
      if (err) r.add(invalid(sched, schedule, err));
      if (schedule.includes('TZ')) {
        if (features.rejectCronTZPrefix) r.add(invalid(sched, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
      }
    }
    nonNegative(r, sp.startingDeadlineSeconds, path.child('startingDeadlineSeconds'));
    if (features.cronJobTimeZone) validateTimeZone(r, sp.timeZone, path.child('timeZone'));
    else if (typeof sp.timeZone === 'string') r.as('server-field-ignored', () => r.accepted('the target Kubernetes version drops it (CronJob time zones need 1.25 or later)', () => r.add(forbidden(path.child('timeZone'), 'timeZone is ignored before Kubernetes 1.25: the schedule runs in the controller manager\'s time zone'))));
    const policy = s(sp.concurrencyPolicy);
    if (!policy) r.add(required(path.child('concurrencyPolicy')));
    else if (!['Allow', 'Forbid', 'Replace'].includes(policy)) r.add(notSupported(path.child('concurrencyPolicy'), policy, ['Allow', 'Forbid', 'Replace']));
    nonNegative(r, sp.successfulJobsHistoryLimit, path.child('successfulJobsHistoryLimit'));
    nonNegative(r, sp.failedJobsHistoryLimit, path.child('failedJobsHistoryLimit'));
    const name = s(obj(cj.metadata)?.name);
    if (name.length > 52) r.add(invalid(FieldPath.root('metadata', 'name'), name, 'must be no more than 52 characters'));
  });
  const jobSpec = obj(obj(sp.jobTemplate)?.spec) ?? {};
  const jp = path.child('jobTemplate', 'spec');
  validateJobSpec(r, jobSpec, features, jp);
  r.as('server-jobs', () => {
    if (isObj(jobSpec.selector)) r.add(invalid(jp.child('selector'), goLabelSelector(jobSpec.selector), '`selector` will be auto-generated'));
    if (jobSpec.manualSelector === true) r.add(notSupported(jp.child('manualSelector'), true, ['nil', 'false']));
  });
}
