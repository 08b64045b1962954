/**
 * Pod and container security contexts (core/validation: validatePodSpecSecurityContext,
 * ValidateSecurityContext, seccomp and AppArmor profiles, sysctls).
 */
import { duplicate, forbidden, go, invalid, notSupported, required, type Report } from './fieldErrors';
import type { FieldPath } from './fieldPath';
import { isValidUserOrGroupID } from './names';
import { arr, int, obj, objs, s, strings, type Obj } from './read';

/** validateLocalDescendingPath: relative, and no ".." element. */
export function validateLocalDescendingPath(r: Report, p: string, path: FieldPath): void {
  if (p.startsWith('/')) r.add(invalid(path, p, 'must be a relative path'));
  if (p.split('/').includes('..')) r.add(invalid(path, p, "must not contain '..'"));
}

function validateSeccompProfile(r: Report, sp: unknown, path: FieldPath): void {
  const profile = obj(sp);
  if (!profile) return;
  const type = s(profile.type);
  if (type === '') r.add(required(path.child('type'), 'type is required when seccompProfile is set'));
  else if (!['Localhost', 'RuntimeDefault', 'Unconfined'].includes(type)) r.add(notSupported(path.child('type'), type, ['Localhost', 'RuntimeDefault', 'Unconfined']));
  const local = profile.localhostProfile;
  if (type === 'Localhost') {
    if (typeof local !== 'string') r.add(required(path.child('localhostProfile'), 'must be set when seccomp type is Localhost'));
    else validateLocalDescendingPath(r, local, path.child('localhostProfile'));
  } else if (local !== undefined && local !== null) {
    r.add(invalid(path.child('localhostProfile'), go('core.SeccompProfile{...}'), 'can only be set when seccomp type is Localhost'));
  }
}

function validateAppArmorProfile(r: Report, ap: unknown, path: FieldPath): void {
  const profile = obj(ap);
  if (!profile) return;
  const type = s(profile.type);
  const local = profile.localhostProfile;
  switch (type) {
    case 'Localhost':
      if (typeof local !== 'string' || local.trim() === '') r.add(required(path.child('localhostProfile'), 'must be set when AppArmor type is Localhost'));
      else if (local.trim() !== local) r.add(invalid(path.child('localhostProfile'), local, 'must not be padded with whitespace'));
      break;
    case 'RuntimeDefault':
    case 'Unconfined':
      if (local !== undefined && local !== null) r.add(invalid(path.child('localhostProfile'), typeof local === 'string' ? local : null, 'can only be set when AppArmor type is Localhost'));
      break;
    case '':
      r.add(required(path.child('type'), 'type is required when appArmorProfile is set'));
      break;
    default:
      r.add(notSupported(path.child('type'), type, ['Localhost', 'RuntimeDefault', 'Unconfined']));
  }
}

function validateIds(r: Report, sc: Obj, path: FieldPath, fields: readonly string[]): void {
  for (const f of fields) {
    const id = int(sc[f]);
    if (id !== undefined) for (const m of isValidUserOrGroupID(id)) r.add(invalid(path.child(f), id, m));
  }
}

const SYSCTL = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;
/** The pattern as Go prints the compiled regexp (SysctlContainSlashFmt). */
const SYSCTL_REGEX_TEXT = '^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$';
const NET_SYSCTLS = /^net\./;
const IPC_SYSCTLS = /^(kernel\.(shm|msg|sem)|fs\.mqueue\.)/;

/** validatePodSpecSecurityContext. */
export function validatePodSecurityContext(r: Report, spec: Obj, path: FieldPath): void {
  const sc = obj(spec.securityContext);
  if (!sc) return;
  validateIds(r, sc, path, ['fsGroup', 'runAsUser', 'runAsGroup']);
  arr(sc.supplementalGroups).forEach((g, i) => {
    if (typeof g === 'number') for (const m of isValidUserOrGroupID(g)) r.add(invalid(path.child('supplementalGroups').index(i), g, m));
  });
  if (sc.shareProcessNamespace === true && spec.hostPID === true) {
    r.add(invalid(path.child('shareProcessNamespace'), true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  const names = new Set<string>();
  for (const [sysctl, i] of objs(sc.sysctls)) {
    const p = path.child('sysctls').index(i).child('name');
    const name = s(sysctl.name);
    if (!name) r.add(required(p));
    else if (name.length > 253 || !SYSCTL.test(name)) r.add(invalid(p, name, `must have at most 253 characters and match regex ${SYSCTL_REGEX_TEXT}`));
    else if (names.has(name)) r.add(duplicate(p, name));
    if (spec.hostNetwork === true && NET_SYSCTLS.test(name)) r.add(invalid(p, name, "may not be specified when 'hostNetwork' is true"));
    if (spec.hostIPC === true && IPC_SYSCTLS.test(name)) r.add(invalid(p, name, "may not be specified when 'hostIPC' is true"));
    names.add(name);
  }
  const fsPolicy = sc.fsGroupChangePolicy;
  if (typeof fsPolicy === 'string' && fsPolicy !== 'OnRootMismatch' && fsPolicy !== 'Always') r.add(notSupported(path.child('fsGroupChangePolicy'), fsPolicy, ['Always', 'OnRootMismatch']));
  validateSeccompProfile(r, sc.seccompProfile, path.child('seccompProfile'));
  validateAppArmorProfile(r, sc.appArmorProfile, path.child('appArmorProfile'));
  const sgPolicy = sc.supplementalGroupsPolicy;
  if (typeof sgPolicy === 'string' && sgPolicy !== 'Merge' && sgPolicy !== 'Strict') r.add(notSupported(path.child('supplementalGroupsPolicy'), sgPolicy, ['Merge', 'Strict']));
  const seLinux = sc.seLinuxChangePolicy;
  if (typeof seLinux === 'string' && seLinux !== 'MountOption' && seLinux !== 'Recursive') r.add(notSupported(path.child('seLinuxChangePolicy'), seLinux, ['MountOption', 'Recursive']));
}

/** ValidateSecurityContext for a container; `hostUsers` is the pod's (true unless set false). */
export function validateContainerSecurityContext(r: Report, securityContext: unknown, hostUsers: boolean, path: FieldPath): void {
  const sc = obj(securityContext);
  if (!sc) return;
  validateIds(r, sc, path, ['runAsUser', 'runAsGroup']);
  const procMount = sc.procMount;
  if (typeof procMount === 'string') {
    if (procMount !== 'Default' && procMount !== 'Unmasked') r.add(notSupported(path.child('procMount'), procMount, ['Default', 'Unmasked']));
    if (hostUsers && procMount === 'Unmasked') r.add(invalid(path.child('procMount'), procMount, '`hostUsers` must be false to use `Unmasked`'));
  }
  validateSeccompProfile(r, sc.seccompProfile, path.child('seccompProfile'));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) r.add(invalid(path, go('core.SecurityContext{...}'), 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    if (strings(obj(sc.capabilities)?.add).includes('CAP_SYS_ADMIN')) r.add(invalid(path, go('core.SecurityContext{...}'), 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
  }
  validateAppArmorProfile(r, sc.appArmorProfile, path.child('appArmorProfile'));
}

/** Fields a pod with `os.name: windows` may not set (validateWindows), and windows options on a linux pod. */
export function validateOsSpecific(r: Report, spec: Obj, containers: [Obj, FieldPath][], path: FieldPath): void {
  const os = s(obj(spec.os)?.name);
  const sc = obj(spec.securityContext);
  if (os === 'linux') {
    if (sc?.windowsOptions) r.add(forbidden(path.child('securityContext', 'windowsOptions'), 'windows options cannot be set for a linux pod'));
    for (const [c, cp] of containers) if (obj(c.securityContext)?.windowsOptions) r.add(forbidden(cp.child('securityContext', 'windowsOptions'), 'windows options cannot be set for a linux pod'));
    return;
  }
  if (os !== 'windows') return;
  if (sc) {
    for (const f of ['appArmorProfile', 'seLinuxOptions', 'seccompProfile', 'fsGroup', 'fsGroupChangePolicy', 'sysctls', 'runAsUser', 'runAsGroup', 'supplementalGroups', 'supplementalGroupsPolicy', 'seLinuxChangePolicy']) {
      if (sc[f] !== undefined && sc[f] !== null) r.add(forbidden(path.child('securityContext', f), 'cannot be set for a windows pod'));
    }
  }
  for (const f of ['hostPID', 'hostIPC']) if (spec[f] === true) r.add(forbidden(path.child(f), 'cannot be set for a windows pod'));
  for (const [c, cp] of containers) {
    const csc = obj(c.securityContext);
    if (!csc) continue;
    for (const f of ['appArmorProfile', 'seLinuxOptions', 'seccompProfile', 'capabilities', 'readOnlyRootFilesystem', 'privileged', 'allowPrivilegeEscalation', 'procMount', 'runAsUser', 'runAsGroup']) {
      if (csc[f] !== undefined && csc[f] !== null) r.add(forbidden(cp.child('securityContext', f), 'cannot be set for a windows pod'));
    }
  }
}
