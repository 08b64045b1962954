/**
 * The server's defaulting (pkg/apis/*\/v1/defaults.go) for the fields validation reads, applied in
 * place to a decoded object before it is validated, as the API server does. Defaults are
 * idempotent, so objects a simulator already defaulted pass through unchanged. Note the zero
 * values Go cannot tell from "unset": a probe's `successThreshold: 0` becomes 1.
 */
import { arr, ensure, isObj, obj, objs, s, type Obj } from './read';

const isUnset = (v: unknown): boolean => v === undefined || v === null;
const isZeroOrUnset = (v: unknown): boolean => isUnset(v) || v === 0 || v === '';

function setDefault(o: Obj, key: string, value: unknown): void {
  if (isUnset(o[key])) o[key] = value;
}

/** The image's tag as the kubelet's parser reads it; "latest" when neither tag nor digest. */
function imageTag(image: string): string {
  if (image.includes('@')) return '';
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : 'latest';
}

function defaultHandler(h: unknown): void {
  const httpGet = obj(obj(h)?.httpGet);
  if (httpGet) {
    if (!s(httpGet.path)) httpGet.path = '/';
    if (!s(httpGet.scheme)) httpGet.scheme = 'HTTP';
  }
}

function defaultProbe(p: unknown): void {
  const probe = obj(p);
  if (!probe) return;
  if (isZeroOrUnset(probe.timeoutSeconds)) probe.timeoutSeconds = 1;
  if (isZeroOrUnset(probe.periodSeconds)) probe.periodSeconds = 10;
  if (isZeroOrUnset(probe.successThreshold)) probe.successThreshold = 1;
  if (isZeroOrUnset(probe.failureThreshold)) probe.failureThreshold = 3;
  defaultHandler(probe);
}

function defaultContainer(c: Obj, isPod: boolean, hostNetwork: boolean): void {
  if (!s(c.imagePullPolicy)) c.imagePullPolicy = imageTag(s(c.image)) === 'latest' ? 'Always' : 'IfNotPresent';
  if (!s(c.terminationMessagePath)) c.terminationMessagePath = '/dev/termination-log';
  if (!s(c.terminationMessagePolicy)) c.terminationMessagePolicy = 'File';
  for (const [port] of objs(c.ports)) {
    if (!s(port.protocol)) port.protocol = 'TCP';
    if (isPod && hostNetwork && isZeroOrUnset(port.hostPort)) port.hostPort = port.containerPort;
  }
  for (const [env] of objs(c.env)) {
    const fieldRef = obj(obj(env.valueFrom)?.fieldRef);
    if (fieldRef && !s(fieldRef.apiVersion)) fieldRef.apiVersion = 'v1';
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[probe]);
  const lifecycle = obj(c.lifecycle);
  if (lifecycle) {
    defaultHandler(lifecycle.postStart);
    defaultHandler(lifecycle.preStop);
  }
  if (isPod) {
    // A Pod's (not a template's) requests default to its limits.
    const resources = obj(c.resources);
    const limits = obj(resources?.limits);
    if (resources && limits) {
      const requests = ensure(resources, 'requests');
      for (const [k, v] of Object.entries(limits)) if (isUnset(requests[k])) requests[k] = v;
    }
  }
}

function defaultVolumes(spec: Obj): void {
  for (const [vol] of objs(spec.volumes)) {
    const sources = Object.keys(vol).filter((k) => k !== 'name' && !isUnset(vol[k]));
    if (sources.length === 0) vol.emptyDir = {};
    const hostPath = obj(vol.hostPath);
    if (hostPath && isUnset(hostPath.type)) hostPath.type = '';
    for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
      const source = obj(vol[key]);
      if (source) setDefault(source, 'defaultMode', 420);
    }
    for (const [item] of objs(obj(vol.downwardAPI)?.items)) {
      const fieldRef = obj(item.fieldRef);
      if (fieldRef && !s(fieldRef.apiVersion)) fieldRef.apiVersion = 'v1';
    }
  }
}

/** SetDefaults_PodSpec, SetDefaults_Container and friends; `isPod` adds what only a Pod gets. */
export function defaultPodSpec(spec: Obj, isPod: boolean): void {
  if (!s(spec.dnsPolicy)) spec.dnsPolicy = 'ClusterFirst';
  if (!s(spec.restartPolicy)) spec.restartPolicy = 'Always';
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  if (!s(spec.schedulerName)) spec.schedulerName = 'default-scheduler';
  if (!isObj(spec.securityContext)) spec.securityContext = {};
  if (isPod) setDefault(spec, 'enableServiceLinks', true);
  const hostNetwork = spec.hostNetwork === true;
  for (const [c] of objs(spec.containers)) defaultContainer(c, isPod, hostNetwork);
  for (const [c] of objs(spec.initContainers)) defaultContainer(c, isPod, hostNetwork);
  defaultVolumes(spec);
}

function defaultTemplate(template: unknown): void {
  const spec = obj(obj(template)?.spec);
  if (spec) defaultPodSpec(spec, false);
}

function defaultDeployment(spec: Obj): void {
  setDefault(spec, 'replicas', 1);
  const strategy = ensure(spec, 'strategy');
  if (!s(strategy.type)) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = ensure(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
}

function defaultStatefulSet(spec: Obj): void {
  setDefault(spec, 'replicas', 1);
  if (!s(spec.podManagementPolicy)) spec.podManagementPolicy = 'OrderedReady';
  const strategy = ensure(spec, 'updateStrategy');
  if (!s(strategy.type)) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') setDefault(ensure(strategy, 'rollingUpdate'), 'partition', 0);
  setDefault(spec, 'revisionHistoryLimit', 10);
  const retention = ensure(spec, 'persistentVolumeClaimRetentionPolicy');
  if (!s(retention.whenDeleted)) retention.whenDeleted = 'Retain';
  if (!s(retention.whenScaled)) retention.whenScaled = 'Retain';
}

function defaultDaemonSet(spec: Obj): void {
  const strategy = ensure(spec, 'updateStrategy');
  if (!s(strategy.type)) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = ensure(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', 1);
    setDefault(ru, 'maxSurge', 0);
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
}

/** The labels and selector the server generates for a Job without manualSelector: true. */
export const JOB_UID_PLACEHOLDER = '00000000-0000-0000-0000-000000000000';

function defaultJob(job: Obj, spec: Obj): void {
  if (isUnset(spec.completions) && isUnset(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', isUnset(spec.backoffLimitPerIndex) ? 6 : 2147483647);
  if (!s(spec.completionMode)) spec.completionMode = 'NonIndexed';
  setDefault(spec, 'suspend', false);
  if (!s(spec.podReplacementPolicy)) spec.podReplacementPolicy = isUnset(spec.podFailurePolicy) ? 'TerminatingOrFailed' : 'Failed';
  // A pod failure policy's onPodConditions patterns default to status "True".
  for (const [rule] of objs(obj(spec.podFailurePolicy)?.rules)) for (const [pattern] of objs(rule.onPodConditions)) if (!s(pattern.status)) pattern.status = 'True';
  setDefault(spec, 'manualSelector', false);
  if (spec.manualSelector === true) return;
  // generateSelector: the server labels the pods with the Job's uid and name and selects them by uid.
  const meta = obj(job.metadata);
  const uid = s(meta?.uid) || JOB_UID_PLACEHOLDER;
  const name = s(meta?.name);
  const template = ensure(spec, 'template');
  const labels = ensure(ensure(template, 'metadata'), 'labels');
  for (const key of ['controller-uid', 'batch.kubernetes.io/controller-uid']) setDefault(labels, key, uid);
  for (const key of ['job-name', 'batch.kubernetes.io/job-name']) setDefault(labels, key, name);
  const selector = ensure(spec, 'selector');
  const matchLabels = ensure(selector, 'matchLabels');
  if (isUnset(matchLabels['batch.kubernetes.io/controller-uid']) && isUnset(matchLabels['controller-uid'])) matchLabels['batch.kubernetes.io/controller-uid'] = uid;
}

function defaultService(spec: Obj): void {
  if (!s(spec.sessionAffinity)) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const timeout = obj(obj(spec.sessionAffinityConfig)?.clientIP)?.timeoutSeconds;
    if (isUnset(timeout)) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (!s(spec.type)) spec.type = 'ClusterIP';
  for (const [port] of objs(spec.ports)) {
    if (!s(port.protocol)) port.protocol = 'TCP';
    if (isZeroOrUnset(port.targetPort)) port.targetPort = port.port;
  }
  const external = spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && arr(spec.externalIPs).length > 0);
  if (external && !s(spec.externalTrafficPolicy)) spec.externalTrafficPolicy = 'Cluster';
  if (isUnset(spec.internalTrafficPolicy) && spec.type !== 'ExternalName') spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  // The registry keeps clusterIP and clusterIPs in step before validating.
  const clusterIP = s(spec.clusterIP);
  const clusterIPs = arr(spec.clusterIPs);
  if (clusterIP && clusterIPs.length === 0) spec.clusterIPs = [clusterIP];
  else if (!clusterIP && typeof clusterIPs[0] === 'string') spec.clusterIP = clusterIPs[0];
}

function defaultLimitRange(spec: Obj): void {
  for (const [item] of objs(spec.limits)) {
    if (item.type !== 'Container') continue;
    const def = ensure(item, 'default');
    const defReq = ensure(item, 'defaultRequest');
    for (const [k, v] of Object.entries(obj(item.max) ?? {})) setDefault(def, k, v);
    for (const [k, v] of Object.entries(def)) setDefault(defReq, k, v);
    for (const [k, v] of Object.entries(obj(item.min) ?? {})) setDefault(defReq, k, v);
  }
}

function defaultNetworkPolicy(spec: Obj): void {
  for (const rule of [...arr(spec.ingress), ...arr(spec.egress)]) {
    for (const [port] of objs(obj(rule)?.ports)) if (!s(port.protocol)) port.protocol = 'TCP';
  }
  if (isUnset(spec.policyTypes)) spec.policyTypes = arr(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

function defaultSubjects(o: Obj): void {
  for (const [subject] of objs(o.subjects)) {
    if (isUnset(subject.apiGroup) && (subject.kind === 'User' || subject.kind === 'Group')) subject.apiGroup = 'rbac.authorization.k8s.io';
    if (isUnset(subject.apiGroup) && subject.kind === 'ServiceAccount') subject.apiGroup = '';
  }
}

/** SetDefaults_ReplicationController: the selector and the object's labels come from the template's labels. */
function defaultReplicationController(spec: Obj, o: Obj): void {
  const labels = obj(obj(spec.template)?.metadata)?.labels;
  if (isObj(labels)) {
    if (!isObj(spec.selector) || Object.keys(spec.selector).length === 0) spec.selector = { ...labels };
    const meta = obj(o.metadata);
    if (meta && (!isObj(meta.labels) || Object.keys(meta.labels).length === 0)) meta.labels = { ...labels };
  }
  setDefault(spec, 'replicas', 1);
}

/** Kinds with a pod template under spec.template: their own spec defaults, then the template's. */
const WORKLOAD_DEFAULTS: Record<string, (spec: Obj, o: Obj) => void> = {
  '/ReplicationController': defaultReplicationController,
  'apps/Deployment': (spec) => defaultDeployment(spec),
  'apps/ReplicaSet': (spec) => setDefault(spec, 'replicas', 1),
  'apps/StatefulSet': (spec) => defaultStatefulSet(spec),
  'apps/DaemonSet': (spec) => defaultDaemonSet(spec),
  'batch/Job': (spec, o) => defaultJob(o, spec),
};

/** Applies the defaults of a kind (by group and kind) to a decoded object, in place. */
export function applyDefaults(group: string, kind: string, o: Obj): void {
  const spec = obj(o.spec);
  const key = `${group}/${kind}`;
  const workload = WORKLOAD_DEFAULTS[key];
  if (workload) {
    if (spec) {
      workload(spec, o);
      defaultTemplate(spec.template);
    }
    return;
  }
  switch (key) {
    case '/Pod':
      if (spec) defaultPodSpec(spec, true);
      return;
    case '/PodTemplate':
      defaultTemplate(o.template);
      return;
    case 'batch/CronJob':
      if (spec) {
        if (!s(spec.concurrencyPolicy)) spec.concurrencyPolicy = 'Allow';
        setDefault(spec, 'suspend', false);
        setDefault(spec, 'successfulJobsHistoryLimit', 3);
        setDefault(spec, 'failedJobsHistoryLimit', 1);
        defaultTemplate(obj(obj(spec.jobTemplate)?.spec)?.template);
      }
      return;
    case '/Service':
      if (spec) defaultService(spec);
      return;
    case '/Secret':
      if (!s(o.type)) o.type = 'Opaque';
      return;
    case '/LimitRange':
      if (spec) defaultLimitRange(spec);
      return;
    case 'networking.k8s.io/NetworkPolicy':
      if (spec) defaultNetworkPolicy(spec);
      return;
    case 'autoscaling/HorizontalPodAutoscaler':
      if (spec) setDefault(spec, 'minReplicas', 1);
      return;
    case 'storage.k8s.io/StorageClass':
      setDefault(o, 'reclaimPolicy', 'Delete');
      setDefault(o, 'volumeBindingMode', 'Immediate');
      return;
    case 'rbac.authorization.k8s.io/RoleBinding':
    case 'rbac.authorization.k8s.io/ClusterRoleBinding':
      defaultSubjects(o);
      return;
  }
}
