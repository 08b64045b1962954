/**
 * Pod specs and pod templates (core/validation: ValidatePodSpec, ValidatePodTemplateSpec and the
 * Pod-only checks of ValidatePodCreate).
 */
import { duplicate, forbidden, invalid, notSupported, required, type Report } from './fieldErrors';
import type { FieldPath } from './fieldPath';
import { isDNS1123Label, isDNS1123Subdomain, isDNS1123SubdomainWithUnderscore, isQualifiedName, nameIsDNSSubdomain } from './names';
import { validateContainers, validateInitContainers, type ContainerContext } from './containers';
import { validateAnnotations, validateLabels } from './meta';
import { parseIP } from './net';
import { gracePeriodOf } from './probes';
import { arr, int, isObj, obj, objs, s, str, strings, type Obj } from './read';
import { validateResourceRequirements } from './resources';
import { validateAffinity, validateNodeSelector, validateTolerations, validateTopologySpreadConstraints } from './scheduling';
import { validateOsSpecific, validatePodSecurityContext } from './securityContext';
import type { ServerFeatures } from './versions';
import { validateVolumes } from './volumes';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const INT32_MAX = 2147483647;

export interface PodSpecOptions {
  features: ServerFeatures;
  /** The spec is a Pod's own, not a template's (stricter host port and image rules). */
  isPod: boolean;
  /** A Pod's name, for the claims of generic ephemeral volumes. */
  podName?: string;
  /** Volumes a controller adds from claim templates (a StatefulSet's volumeClaimTemplates). */
  claimVolumes?: string[];
}

function validateDnsConfig(r: Report, spec: Obj, features: ServerFeatures, path: FieldPath): void {
  const config = obj(spec.dnsConfig);
  if (spec.dnsPolicy === 'None') {
    if (!config) return r.add(required(path, 'must provide `dnsConfig` when `dnsPolicy` is None'));
    if (arr(config.nameservers).length === 0) return r.add(required(path.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
  }
  if (!config) return;
  const nameservers = strings(config.nameservers);
  if (nameservers.length > 3) r.add(invalid(path.child('nameservers'), { go: `[]string{${nameservers.map((n) => JSON.stringify(n)).join(', ')}}` }, 'must not have more than 3 nameservers'));
  nameservers.forEach((ns, i) => {
    if (!parseIP(ns)) r.add(invalid(path.child('nameservers').index(i), ns, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  const searches = strings(config.searches);
  if (searches.length > 32) r.add(invalid(path.child('searches'), { go: '[]string{...}' }, 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) r.add(invalid(path.child('searches'), { go: '[]string{...}' }, 'must not have more than 2048 characters (including spaces) in the search list'));
  searches.forEach((search, i) => {
    if (features.relaxedDnsSearch) {
      if (search === '.') return;
      for (const m of isDNS1123SubdomainWithUnderscore(search.replace(/\.$/, ''))) r.add(invalid(path.child('searches').index(i), search.replace(/\.$/, ''), m));
    } else for (const m of isDNS1123Subdomain(search.replace(/\.$/, ''))) r.add(invalid(path.child('searches').index(i), search.replace(/\.$/, ''), m));
  });
  for (const [option, i] of objs(config.options)) if (!s(option.name)) r.add(required(path.child('options').index(i), 'must not be empty'));
}

function validateHostNetworkPorts(r: Report, spec: Obj, isPod: boolean, path: FieldPath): void {
  if (spec.hostNetwork !== true) return;
  for (const [c, i] of objs(spec.containers)) {
    for (const [port, j] of objs(c.ports)) {
      const hp = int(port.hostPort) ?? 0;
      const cp = int(port.containerPort) ?? 0;
      if ((isPod || hp !== 0) && hp !== cp) r.add(invalid(path.child('containers').index(i).child('ports').index(j).child('hostPort'), hp, 'must match `containerPort` when `hostNetwork` is true'));
    }
  }
}

function nameField(r: Report, value: unknown, path: FieldPath): void {
  const v = str(value);
  if (v) for (const m of nameIsDNSSubdomain(v, false)) r.add(invalid(path, v, m));
}

/** ValidatePodSpec. */
export function validatePodSpec(r: Report, spec: Obj, opts: PodSpecOptions, path: FieldPath): void {
  const features = opts.features;
  const hostUsers = spec.hostUsers !== false;
  const volumes = r.as('server-volumes', () => validateVolumes(r, spec.volumes, opts.podName, path.child('volumes')));
  for (const claim of opts.claimVolumes ?? []) if (!volumes.has(claim)) volumes.set(claim, 'persistentVolumeClaim');
  const ctx: ContainerContext = { volumes, features, gracePeriod: gracePeriodOf(spec), restartPolicy: s(spec.restartPolicy), hostUsers };
  validateContainers(r, spec.containers, ctx, path.child('containers'));
  validateInitContainers(r, spec.initContainers, spec.containers, ctx, path.child('initContainers'));
  r.as('server-resources', () => {
    const resources = obj(spec.resources);
    if (resources) validateResourceRequirements(r, resources, path.child('resources'));
  });
  r.as('server-pod-spec', () => {
    if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) r.add(required(path.child('terminationGracePeriodSeconds')));
    validateHostNetworkPorts(r, spec, opts.isPod, path);
    const restart = s(spec.restartPolicy);
    if (!restart) r.add(required(path.child('restartPolicy')));
    else if (!RESTART_POLICIES.includes(restart)) r.add(notSupported(path.child('restartPolicy'), restart, RESTART_POLICIES));
    const dns = s(spec.dnsPolicy);
    if (!dns) r.add(required(path.child('dnsPolicy')));
    else if (!DNS_POLICIES.includes(dns)) r.add(notSupported(path.child('dnsPolicy'), dns, DNS_POLICIES));
    validateDnsConfig(r, spec, features, path.child('dnsConfig'));
    objs(spec.imagePullSecrets).forEach(([secret, i]) => {
      if (Object.keys(secret).some((k) => k !== 'name')) r.add(invalid(path.child('imagePullSecrets').index(i), { go: `core.LocalObjectReference{Name:${JSON.stringify(s(secret.name))}}` }, 'only name may be set'));
    });
    objs(spec.readinessGates).forEach(([gate, i]) => {
      for (const m of isQualifiedName(s(gate.conditionType))) r.add(invalid(path.child('readinessGates').index(i).child('conditionType'), s(gate.conditionType), m));
    });
    const gates = new Set<string>();
    objs(spec.schedulingGates).forEach(([gate, i]) => {
      const name = s(gate.name);
      for (const m of isQualifiedName(name)) r.add(invalid(path.child('schedulingGates').index(i), name, m));
      if (gates.has(name)) r.add(duplicate(path.child('schedulingGates').index(i), name));
      gates.add(name);
    });
    if (spec.hostUsers === false) {
      if (spec.hostNetwork === true) r.add(forbidden(path.child('hostNetwork'), 'when `pod.Spec.HostUsers` is false'));
      if (spec.hostPID === true) r.add(forbidden(path.child('HostPID'), 'when `pod.Spec.HostUsers` is false'));
      if (spec.hostIPC === true) r.add(forbidden(path.child('HostIPC'), 'when `pod.Spec.HostUsers` is false'));
    }
    nameField(r, spec.serviceAccountName, path.child('serviceAccountName'));
    nameField(r, spec.nodeName, path.child('nodeName'));
    const deadline = int(spec.activeDeadlineSeconds);
    if (deadline !== undefined && (deadline < 1 || deadline > INT32_MAX)) r.add(invalid(path.child('activeDeadlineSeconds'), deadline, `must be between 1 and ${INT32_MAX}, inclusive`));
    for (const f of ['hostname', 'subdomain']) {
      const v = str(spec[f]);
      if (v) for (const m of isDNS1123Label(v)) r.add(invalid(path.child(f), v, m));
    }
    objs(spec.hostAliases).forEach(([alias, i]) => {
      const ip = s(alias.ip);
      if (!parseIP(ip)) r.add(invalid(path.child('hostAliases').index(i).child('ip'), ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
      strings(alias.hostnames).forEach((h, j) => {
        for (const m of isDNS1123Subdomain(h)) r.add(invalid(path.child('hostAliases').index(i).child('hostnames').index(j), h, m));
      });
    });
    nameField(r, spec.priorityClassName, path.child('priorityClassName'));
    if (typeof spec.runtimeClassName === 'string') for (const m of nameIsDNSSubdomain(spec.runtimeClassName, false)) r.add(invalid(path.child('runtimeClassName'), spec.runtimeClassName, m));
    const preemption = spec.preemptionPolicy;
    if (typeof preemption === 'string' && preemption !== 'PreemptLowerPriority' && preemption !== 'Never') r.add(notSupported(path.child('preemptionPolicy'), preemption, ['PreemptLowerPriority', 'Never']));
    const os = obj(spec.os);
    if (os) {
      const name = s(os.name);
      if (!name) r.add(required(path.child('os', 'name'), 'cannot be empty'));
      else if (name !== 'linux' && name !== 'windows') r.add(notSupported(path.child('os'), name, ['linux', 'windows']));
    }
  });
  r.as('server-scheduling', () => {
    validateNodeSelector(r, spec.nodeSelector, path.child('nodeSelector'));
    validateAffinity(r, spec.affinity, path.child('affinity'));
    validateTolerations(r, spec.tolerations, path.child('tolerations'));
    validateTopologySpreadConstraints(r, spec.topologySpreadConstraints, path.child('topologySpreadConstraints'));
  });
  r.as('server-security-context', () => {
    validatePodSecurityContext(r, spec, path.child('securityContext'));
    if (!isObj(spec.os)) return;
    const containers: [Obj, FieldPath][] = [
      ...objs(spec.containers).map(([c, i]) => [c, path.child('containers').index(i)] as [Obj, FieldPath]),
      ...objs(spec.initContainers).map(([c, i]) => [c, path.child('initContainers').index(i)] as [Obj, FieldPath]),
    ];
    validateOsSpecific(r, spec, containers, path);
  });
}

/** ValidatePodTemplateSpec: the template's labels and annotations, its spec; no ephemeral containers. */
export function validatePodTemplateSpec(r: Report, template: Obj | undefined, features: ServerFeatures, path: FieldPath): void {
  const t = template ?? {};
  const meta = obj(t.metadata) ?? {};
  r.as('server-metadata', () => {
    validateLabels(r, meta.labels, path.child('labels'));
    validateAnnotations(r, meta.annotations, path.child('annotations'));
  });
  validatePodSpec(r, obj(t.spec) ?? {}, { features, isPod: false }, path.child('spec'));
  if (arr(obj(t.spec)?.ephemeralContainers).length > 0) r.as('server-pod-spec', () => r.add(forbidden(path.child('spec', 'ephemeralContainers'), 'ephemeral containers not allowed in pod template')));
}

/** The extra checks on a Pod itself (validateContainersOnlyForPod, ValidatePodCreate). */
export function validatePodOnly(r: Report, spec: Obj, path: FieldPath): void {
  r.as('server-containers', () => {
    for (const field of ['containers', 'initContainers']) {
      for (const [c, i] of objs(spec[field])) {
        const image = s(c.image);
        if (image !== image.trim()) r.add(invalid(path.child(field).index(i).child('image'), image, 'must not have leading or trailing whitespace'));
      }
    }
  });
  r.as('server-pod-spec', () => {
    if (arr(spec.ephemeralContainers).length > 0) r.add(forbidden(path.child('ephemeralContainers'), 'cannot be set on create'));
    // (A missing serviceAccountName is never seen here: the ServiceAccount admission plugin sets "default" first.)
    if (s(spec.nodeName) && arr(spec.schedulingGates).length > 0) r.add(forbidden(path.child('nodeName'), 'cannot be set until all schedulingGates have been cleared'));
  });
}
