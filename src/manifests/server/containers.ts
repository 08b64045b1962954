/**
 * Containers of a pod spec (core/validation: validateContainerCommon, validateContainers,
 * validateInitContainers): names, images, ports, env, mounts, devices, pull policy, probes,
 * resources and security contexts, with the rule family each group of checks belongs to.
 */
import { duplicate, forbidden, invalid, notFound, notSupported, required, type Report } from './fieldErrors';
import type { FieldPath } from './fieldPath';
import { ENV_FIELD_PATHS, validateObjectFieldSelector } from './fieldSelector';
import { isConfigMapKey, isDNS1123Label, isEnvVarName, isRelaxedEnvVarName, isValidPortName, isValidPortNum, nameIsDNSSubdomain } from './names';
import { validateLifecycle, validateProbe, type HandlerContext } from './probes';
import { arr, int, isObj, obj, objs, s, type Obj } from './read';
import { validateResourceRequirements } from './resources';
import { validateContainerSecurityContext, validateLocalDescendingPath } from './securityContext';
import { isClaimSource, type VolumeMap } from './volumes';
import type { ServerFeatures } from './versions';

export interface ContainerContext extends HandlerContext {
  volumes: VolumeMap;
  features: ServerFeatures;
  restartPolicy: string;
  hostUsers: boolean;
}

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const RESOURCE_FIELDS = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];

function validatePorts(r: Report, ports: unknown, path: FieldPath): void {
  const names = new Set<string>();
  for (const [port, i] of objs(ports)) {
    const p = path.index(i);
    const name = s(port.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) for (const m of msgs) r.add(invalid(p.child('name'), name, m));
      else if (names.has(name)) r.add(duplicate(p.child('name'), name));
      else names.add(name);
    }
    const containerPort = int(port.containerPort) ?? 0;
    if (containerPort === 0) r.add(required(p.child('containerPort')));
    else for (const m of isValidPortNum(containerPort)) r.add(invalid(p.child('containerPort'), containerPort, m));
    const hostPort = int(port.hostPort) ?? 0;
    if (hostPort !== 0) for (const m of isValidPortNum(hostPort)) r.add(invalid(p.child('hostPort'), hostPort, m));
    const protocol = s(port.protocol);
    if (!protocol) r.add(required(p.child('protocol')));
    else if (!PROTOCOLS.includes(protocol)) r.add(notSupported(p.child('protocol'), protocol, PROTOCOLS));
  }
}

function validateKeySelector(r: Report, sel: Obj, path: FieldPath): void {
  for (const m of nameIsDNSSubdomain(s(sel.name), false)) r.add(invalid(path.child('name'), s(sel.name), m));
  const key = s(sel.key);
  if (!key) r.add(required(path.child('key')));
  else for (const m of isConfigMapKey(key)) r.add(invalid(path.child('key'), key, m));
}

function validateEnvValueFrom(r: Report, ev: Obj, path: FieldPath): void {
  const from = obj(ev.valueFrom);
  if (!from) return;
  let count = 0;
  const fieldRef = obj(from.fieldRef);
  if (fieldRef) {
    count++;
    validateObjectFieldSelector(r, fieldRef, ENV_FIELD_PATHS, path.child('fieldRef'));
  }
  const resourceFieldRef = obj(from.resourceFieldRef);
  if (resourceFieldRef) {
    count++;
    const res = s(resourceFieldRef.resource);
    const p = path.child('resourceFieldRef');
    if (!res) r.add(required(p.child('resource')));
    else if (!RESOURCE_FIELDS.includes(res) && !/^(requests|limits)\.hugepages-/.test(res)) r.add(notSupported(p.child('resource'), res, RESOURCE_FIELDS));
  }
  for (const kind of ['configMapKeyRef', 'secretKeyRef']) {
    const ref = obj(from[kind]);
    if (!ref) continue;
    count++;
    validateKeySelector(r, ref, path.child(kind));
  }
  if (count === 0) r.add(invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (s(ev.value)) r.add(invalid(path, '', 'may not be specified when `value` is not empty'));
  else if (count > 1) r.add(invalid(path, '', 'may not have more than one field specified at a time'));
}

function validateEnv(r: Report, env: unknown, features: ServerFeatures, path: FieldPath): void {
  const nameCheck = features.relaxedEnvNames ? isRelaxedEnvVarName : isEnvVarName;
  for (const [ev, i] of objs(env)) {
    const p = path.index(i);
    const name = s(ev.name);
    if (!name) r.add(required(p.child('name')));
    else for (const m of nameCheck(name)) r.add(invalid(p.child('name'), name, m));
    validateEnvValueFrom(r, ev, p.child('valueFrom'));
  }
}

function validateEnvFrom(r: Report, envFrom: unknown, features: ServerFeatures, path: FieldPath): void {
  const nameCheck = features.relaxedEnvNames ? isRelaxedEnvVarName : isEnvVarName;
  for (const [ev, i] of objs(envFrom)) {
    const p = path.index(i);
    const prefix = s(ev.prefix);
    if (prefix) for (const m of nameCheck(prefix)) r.add(invalid(p.child('prefix'), prefix, m));
    let count = 0;
    for (const kind of ['configMapRef', 'secretRef']) {
      const ref = obj(ev[kind]);
      if (!ref) continue;
      count++;
      const name = s(ref.name);
      if (!name) r.add(required(p.child(kind, 'name')));
      else for (const m of nameIsDNSSubdomain(name, true)) r.add(invalid(p.child(kind, 'name'), name, m));
    }
    if (count === 0) r.add(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (count > 1) r.add(invalid(path, '', 'may not have more than one field specified at a time'));
  }
}

function validateMounts(r: Report, c: Obj, volumes: VolumeMap, path: FieldPath): void {
  if (!Array.isArray(c.volumeMounts) || c.volumeMounts.length === 0) return;
  const devicePaths = new Set(objs(c.volumeDevices).map(([d]) => s(d.devicePath)));
  const deviceNames = new Set(objs(c.volumeDevices).map(([d]) => s(d.name)));
  const mountPaths = new Set<string>();
  const privileged = obj(c.securityContext)?.privileged === true;
  for (const [m, i] of objs(c.volumeMounts)) {
    const p = path.index(i);
    const name = s(m.name);
    const mountPath = s(m.mountPath);
    if (!name) r.add(required(p.child('name')));
    if (!volumes.has(name)) r.add(notFound(p.child('name'), name));
    if (!mountPath) r.add(required(p.child('mountPath')));
    if (mountPaths.has(mountPath)) r.add(invalid(p.child('mountPath'), mountPath, 'must be unique'));
    mountPaths.add(mountPath);
    if (deviceNames.has(name)) r.add(invalid(p.child('name'), name, 'must not already exist in volumeDevices'));
    if (devicePaths.has(mountPath)) r.add(invalid(p.child('mountPath'), mountPath, 'must not already exist as a path in volumeDevices'));
    const subPath = s(m.subPath);
    const subPathExpr = s(m.subPathExpr);
    if (volumes.get(name) === 'image') {
      if (subPath) r.add(invalid(p.child('subPath'), subPath, 'not allowed in image volume sources'));
      if (subPathExpr) r.add(invalid(p.child('subPathExpr'), subPathExpr, 'not allowed in image volume sources'));
    }
    if (subPath) validateLocalDescendingPath(r, subPath, path.child('subPath'));
    if (subPathExpr) {
      if (subPath) r.add(invalid(p.child('subPathExpr'), subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      validateLocalDescendingPath(r, subPathExpr, path.child('subPathExpr'));
    }
    const propagation = m.mountPropagation;
    if (typeof propagation === 'string') {
      const supported = ['Bidirectional', 'HostToContainer', 'None'];
      if (!supported.includes(propagation)) r.add(notSupported(path.child('mountPropagation'), propagation, supported));
      if (propagation === 'Bidirectional' && !privileged) r.add(forbidden(path.child('mountPropagation'), 'Bidirectional mount propagation is available only to privileged containers'));
    }
    const rro = m.recursiveReadOnly;
    if (typeof rro === 'string' && rro !== 'Disabled') {
      const rp = path.child('recursiveReadOnly');
      if (rro === 'Enabled' || rro === 'IfPossible') {
        if (m.readOnly !== true) r.add(forbidden(rp, 'may only be specified when readOnly is true'));
        if (typeof propagation === 'string' && propagation !== 'None') r.add(forbidden(rp, 'may only be specified when mountPropagation is None or not specified'));
      } else r.add(notSupported(rp, rro, ['Disabled', 'Enabled', 'IfPossible']));
    }
  }
}

function validateDevices(r: Report, c: Obj, volumes: VolumeMap, path: FieldPath): void {
  if (!Array.isArray(c.volumeDevices) || c.volumeDevices.length === 0) return;
  const mounts = objs(c.volumeMounts).map(([m]) => [s(m.name), s(m.mountPath)] as const);
  const names = new Set<string>();
  const paths = new Set<string>();
  for (const [d, i] of objs(c.volumeDevices)) {
    const p = path.index(i);
    const name = s(d.name);
    const devicePath = s(d.devicePath);
    const source = volumes.get(name);
    if (!name) r.add(required(p.child('name')));
    if (names.has(name)) r.add(invalid(p.child('name'), name, 'must be unique'));
    if (source && !isClaimSource(source)) r.add(invalid(p.child('name'), name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    if (!source) r.add(notFound(p.child('name'), name));
    if (!devicePath) r.add(required(p.child('devicePath')));
    if (paths.has(devicePath)) r.add(invalid(p.child('devicePath'), devicePath, 'must be unique'));
    if (devicePath && devicePath.split('/').includes('..')) r.add(invalid(p.child('devicePath'), devicePath, "can not contain backsteps ('..')"));
    else paths.add(devicePath);
    if (mounts.some(([n]) => n === name)) r.add(invalid(p.child('name'), name, 'must not already exist in volumeMounts'));
    if (mounts.some(([, mp]) => mp === devicePath)) r.add(invalid(p.child('devicePath'), devicePath, 'must not already exist as a path in volumeMounts'));
    if (name) names.add(name);
  }
}

function validateResizePolicy(r: Report, policies: unknown, restartPolicy: string, path: FieldPath): void {
  const seen = new Set<string>();
  for (const [p, i] of objs(policies)) {
    const name = s(p.resourceName);
    if (seen.has(name)) r.add(duplicate(path.index(i), name));
    seen.add(name);
    if (!name) r.add(required(path));
    else if (name !== 'cpu' && name !== 'memory') r.add(notSupported(path, name, ['cpu', 'memory']));
    const policy = s(p.restartPolicy);
    if (!policy) r.add(required(path));
    else if (policy !== 'NotRequired' && policy !== 'RestartContainer') r.add(notSupported(path, policy, ['NotRequired', 'RestartContainer']));
    if (restartPolicy === 'Never' && policy !== 'NotRequired') r.add(invalid(path, policy, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
  }
}

/** validateContainerCommon: what every container (regular, init, ephemeral) must satisfy. */
function validateContainerCommon(r: Report, c: Obj, ctx: ContainerContext, path: FieldPath): void {
  r.as('server-containers', () => {
    const name = s(c.name);
    if (!name) r.add(required(path.child('name')));
    else for (const m of isDNS1123Label(name)) r.add(invalid(path.child('name'), name, m));
    if (!s(c.image)) r.add(required(path.child('image')));
    const tmp = s(c.terminationMessagePolicy);
    if (!tmp) r.add(required(path.child('terminationMessagePolicy')));
    else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') r.add(notSupported(path.child('terminationMessagePolicy'), tmp, ['File', 'FallbackToLogsOnError']));
    validatePorts(r, c.ports, path.child('ports'));
    validateEnv(r, c.env, ctx.features, path.child('env'));
    validateEnvFrom(r, c.envFrom, ctx.features, path.child('envFrom'));
    validateMounts(r, c, ctx.volumes, path.child('volumeMounts'));
    validateDevices(r, c, ctx.volumes, path.child('volumeDevices'));
    const pull = s(c.imagePullPolicy);
    if (!pull) r.add(required(path.child('imagePullPolicy')));
    else if (!PULL_POLICIES.includes(pull)) r.add(notSupported(path.child('imagePullPolicy'), pull, PULL_POLICIES));
  });
  r.as('server-resources', () => {
    validateResourceRequirements(r, c.resources, path.child('resources'));
    validateResizePolicy(r, c.resizePolicy, ctx.restartPolicy, path.child('resizePolicy'));
  });
  r.as('server-security-context', () => validateContainerSecurityContext(r, c.securityContext, ctx.hostUsers, path.child('securityContext')));
}

/** Host ports must not collide (protocol/hostIP/port) within the checked containers. */
function checkHostPorts(r: Report, containers: [Obj, number][], path: FieldPath): void {
  const seen = new Set<string>();
  for (const [c, ci] of containers) {
    for (const [port, pi] of objs(c.ports)) {
      const hostPort = int(port.hostPort) ?? 0;
      if (hostPort === 0) continue;
      const key = `${s(port.protocol)}/${s(port.hostIP)}/${hostPort}`;
      if (seen.has(key)) r.add(duplicate(path.index(ci).child('ports').index(pi).child('hostPort'), key));
      else seen.add(key);
    }
  }
}

function validateProbes(r: Report, c: Obj, ctx: ContainerContext, path: FieldPath): void {
  r.as('server-probes', () => {
    if (isObj(c.lifecycle)) validateLifecycle(r, c.lifecycle, ctx, path.child('lifecycle'));
    validateProbe(r, c.livenessProbe, 'livenessProbe', ctx, path.child('livenessProbe'));
    validateProbe(r, c.readinessProbe, 'readinessProbe', ctx, path.child('readinessProbe'));
    validateProbe(r, c.startupProbe, 'startupProbe', ctx, path.child('startupProbe'));
  });
}

export function validateContainers(r: Report, containers: unknown, ctx: ContainerContext, path: FieldPath): void {
  const list = objs(containers);
  if (arr(containers).length === 0) {
    r.as('server-containers', () => r.add(required(path)));
    return;
  }
  const names = new Set<string>();
  for (const [c, i] of list) {
    const p = path.index(i);
    validateContainerCommon(r, c, ctx, p);
    r.as('server-containers', () => {
      const name = s(c.name);
      if (names.has(name)) r.add(duplicate(p.child('name'), name));
      else names.add(name);
      if (c.restartPolicy !== undefined && c.restartPolicy !== null) r.add(forbidden(p.child('restartPolicy'), 'may not be set for non-init containers'));
    });
    validateProbes(r, c, ctx, p);
  }
  r.as('server-containers', () => checkHostPorts(r, list, path));
}

export function validateInitContainers(r: Report, init: unknown, regular: unknown, ctx: ContainerContext, path: FieldPath): void {
  const names = new Set(objs(regular).map(([c]) => s(c.name)));
  for (const [c, i] of objs(init)) {
    const p = path.index(i);
    validateContainerCommon(r, c, ctx, p);
    let sidecar = false;
    r.as('server-containers', () => {
      const policy = c.restartPolicy;
      if (typeof policy === 'string') {
        if (!ctx.features.sidecars) {
          r.as('server-field-ignored', () => r.accepted('the target Kubernetes version drops it (sidecar containers need 1.29 or later)', () => r.add(forbidden(p.child('restartPolicy'), 'restartPolicy on init containers is ignored before Kubernetes 1.29'))));
        } else if (policy !== 'Always') r.add(notSupported(p.child('restartPolicy'), policy, ['Always']));
        else sidecar = true;
      }
      const name = s(c.name);
      if (names.has(name)) r.add(duplicate(p.child('name'), name));
      else if (name) names.add(name);
      checkHostPorts(r, [[c, i]], path);
    });
    if (sidecar) validateProbes(r, c, ctx, p);
    else {
      r.as('server-probes', () => {
        for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
          if (c[f] !== undefined && c[f] !== null) r.add(forbidden(p.child(f), 'may not be set for init containers without restartPolicy=Always'));
        }
      });
    }
  }
}
