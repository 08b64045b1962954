/**
 * Pod volumes (core/validation: ValidateVolumes, validateVolumeSource and the per-source checks
 * for the sources people still write; in-tree cloud plugins get their required-field checks).
 */
import { duplicate, forbidden, invalid, notSupported, required, tooLong, type Report } from './fieldErrors';
import type { FieldPath } from './fieldPath';
import { VOLUME_FIELD_PATHS, validateObjectFieldSelector } from './fieldSelector';
import { isDNS1123Label, isDNS1123Subdomain, nameIsDNSSubdomain } from './names';
import { parseQuantity, sign } from './quantity';
import { int, isObj, obj, objs, s, type Obj } from './read';
import { validateLocalDescendingPath } from './securityContext';
import { validatePersistentVolumeClaimSpec, validateTemplateMeta } from './storage';

/** VolumeSource fields in the order the server checks them, with the path segment its errors use. */
const SOURCES: [json: string, path: string][] = [
  ['emptyDir', 'emptyDir'], ['hostPath', 'hostPath'], ['gitRepo', 'gitRepo'], ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'], ['secret', 'secret'], ['nfs', 'nfs'], ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'], ['flocker', 'flocker'], ['persistentVolumeClaim', 'persistentVolumeClaim'], ['rbd', 'rbd'],
  ['cinder', 'cinder'], ['cephfs', 'cephFS'], ['quobyte', 'quobyte'], ['downwardAPI', 'downwarAPI'], ['fc', 'fc'],
  ['flexVolume', 'flexVolume'], ['configMap', 'configMap'], ['azureFile', 'azureFile'], ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'], ['portworxVolume', 'portworxVolume'], ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'], ['projected', 'projected'], ['scaleIO', 'scaleIO'], ['csi', 'csi'], ['ephemeral', 'ephemeral'], ['image', 'image'],
];

/** Required fields of the in-tree plugins (the rest of their checks are about their own formats). */
const PLUGIN_REQUIRED: Record<string, string[]> = {
  gitRepo: ['repository'], gcePersistentDisk: ['pdName'], awsElasticBlockStore: ['volumeID'], iscsi: ['targetPortal', 'iqn'],
  glusterfs: ['endpoints', 'path'], rbd: ['monitors', 'image'], cinder: ['volumeID'], cephfs: ['monitors'], flexVolume: ['driver'],
  azureFile: ['secretName', 'shareName'], vsphereVolume: ['volumePath'], photonPersistentDisk: ['pdID'], portworxVolume: ['volumeID'],
  azureDisk: ['diskName', 'diskURI'], scaleIO: ['gateway', 'system', 'volumeName'], storageos: ['volumeName'], quobyte: ['registry', 'volume'],
};

const FILE_MODE = 'must be a number between 0 and 0777 (octal), both inclusive';
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

function validateMode(r: Report, mode: unknown, path: FieldPath): void {
  const m = int(mode);
  if (m !== undefined && (m < 0 || m > 0o777)) r.add(invalid(path, m, FILE_MODE));
}

/** ValidateLocalNonReservedPath. */
export function validateLocalNonReservedPath(r: Report, p: string, path: FieldPath): void {
  validateLocalDescendingPath(r, p, path);
  if (p.startsWith('..') && !p.startsWith('../')) r.add(invalid(path, p, "must not start with '..'"));
}

function validateKeyToPath(r: Report, item: Obj, path: FieldPath): void {
  if (!s(item.key)) r.add(required(path.child('key')));
  if (!s(item.path)) r.add(required(path.child('path')));
  validateLocalNonReservedPath(r, s(item.path), path.child('path'));
  validateMode(r, item.mode, path.child('mode'));
}

function validateDownwardFile(r: Report, file: Obj, path: FieldPath): void {
  if (!s(file.path)) r.add(required(path.child('path')));
  validateLocalNonReservedPath(r, s(file.path), path.child('path'));
  const fieldRef = obj(file.fieldRef);
  if (fieldRef) {
    validateObjectFieldSelector(r, fieldRef, VOLUME_FIELD_PATHS, path.child('fieldRef'));
    if (obj(file.resourceFieldRef)) r.add(invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (obj(file.resourceFieldRef)) {
    if (!s(obj(file.resourceFieldRef)!.containerName)) r.add(required(path.child('resourceFieldRef', 'containerName')));
  } else {
    r.add(required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  validateMode(r, file.mode, path.child('mode'));
}

function validateProjected(r: Report, projected: Obj, path: FieldPath): void {
  validateMode(r, projected.defaultMode, path.child('defaultMode'));
  const paths = new Set<string>();
  const claim = (p: string, value: string): void => {
    if (paths.has(p)) r.add(invalid(path, value, 'conflicting duplicate paths'));
    paths.add(p);
  };
  for (const [source, i] of objs(projected.sources)) {
    const sp = path.child('sources').index(i);
    let count = 0;
    for (const kind of ['secret', 'configMap'] as const) {
      const src = obj(source[kind]);
      if (!src) continue;
      count++;
      if (!s(src.name)) r.add(required(sp.child(kind, 'name')));
      for (const [item, j] of objs(src.items)) {
        validateKeyToPath(r, item, sp.child(kind, 'items').index(j));
        if (s(item.path)) claim(s(item.path), s(src.name));
      }
    }
    const downward = obj(source.downwardAPI);
    if (downward) {
      count++;
      for (const [file] of objs(downward.items)) {
        validateDownwardFile(r, file, sp.child('downwardAPI'));
        if (s(file.path)) claim(s(file.path), s(file.path));
      }
    }
    const token = obj(source.serviceAccountToken);
    if (token) {
      count++;
      const expiration = int(token.expirationSeconds) ?? 3600;
      if (expiration < 600) r.add(invalid(sp.child('serviceAccountToken', 'expirationSeconds'), expiration, 'may not specify a duration less than 10 minutes'));
      if (expiration > 2 ** 32) r.add(invalid(sp.child('serviceAccountToken', 'expirationSeconds'), expiration, 'may not specify a duration larger than 2^32 seconds'));
      if (!s(token.path)) r.add(required(path.child('path')));
      else validateLocalNonReservedPath(r, s(token.path), path.child('path'));
    }
    if (obj(source.clusterTrustBundle)) {
      count++;
      const ctb = obj(source.clusterTrustBundle)!;
      if (!s(ctb.path)) r.add(required(sp.child('clusterTrustBundle', 'path')));
      else claim(s(ctb.path), s(ctb.path));
    }
    if (count > 1) r.add(forbidden(sp, 'may not specify more than 1 volume type per source'));
  }
}

function validateSource(r: Report, json: string, src: Obj, path: FieldPath): void {
  switch (json) {
    case 'emptyDir': {
      const limit = src.sizeLimit === undefined ? undefined : parseQuantity(src.sizeLimit);
      if (limit && sign(limit) < 0) r.add(forbidden(path.child('sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
      return;
    }
    case 'hostPath': {
      const p = s(src.path);
      if (!p) return r.add(required(path.child('path')));
      if (p.split('/').includes('..')) r.add(invalid(path.child('path'), p, "must not contain '..'"));
      const type = src.type;
      if (typeof type === 'string' && !HOST_PATH_TYPES.includes(type)) r.add(notSupported(path.child('type'), type, HOST_PATH_TYPES));
      return;
    }
    case 'secret':
      if (!s(src.secretName)) r.add(required(path.child('secretName')));
      validateMode(r, src.defaultMode, path.child('defaultMode'));
      for (const [item, i] of objs(src.items)) validateKeyToPath(r, item, path.child('items').index(i));
      return;
    case 'configMap':
      if (!s(src.name)) r.add(required(path.child('name')));
      validateMode(r, src.defaultMode, path.child('defaultMode'));
      for (const [item, i] of objs(src.items)) validateKeyToPath(r, item, path.child('items').index(i));
      return;
    case 'persistentVolumeClaim':
      if (!s(src.claimName)) r.add(required(path.child('claimName')));
      return;
    case 'nfs':
      if (!s(src.server)) r.add(required(path.child('server')));
      if (!s(src.path)) r.add(required(path.child('path')));
      if (!s(src.path).startsWith('/')) r.add(invalid(path.child('path'), s(src.path), 'must be an absolute path'));
      return;
    case 'downwardAPI':
      validateMode(r, src.defaultMode, path.child('defaultMode'));
      for (const [file] of objs(src.items)) validateDownwardFile(r, file, path);
      return;
    case 'projected':
      return validateProjected(r, src, path);
    case 'csi': {
      const driver = s(src.driver);
      if (!driver) r.add(required(path.child('driver')));
      if (driver.length > 63) r.add(tooLong(path.child('driver'), 63));
      for (const m of isDNS1123Subdomain(driver.toLowerCase())) if (driver) r.add(invalid(path.child('driver'), driver, m));
      const secretRef = obj(src.nodePublishSecretRef);
      if (secretRef && !s(secretRef.name)) r.add(required(path.child('nodePublishSecretRef', 'name')));
      return;
    }
    case 'ephemeral': {
      const template = obj(src.volumeClaimTemplate);
      if (!template) return r.add(required(path.child('volumeClaimTemplate')));
      validateTemplateMeta(r, obj(template.metadata), path.child('volumeClaimTemplate', 'metadata'));
      validatePersistentVolumeClaimSpec(r, obj(template.spec) ?? {}, path.child('volumeClaimTemplate', 'spec'));
      return;
    }
    case 'image': {
      const policy = src.pullPolicy;
      if (typeof policy === 'string' && !['Always', 'IfNotPresent', 'Never'].includes(policy)) r.add(notSupported(path.child('pullPolicy'), policy, ['Always', 'IfNotPresent', 'Never']));
      return;
    }
    default:
      for (const f of PLUGIN_REQUIRED[json] ?? []) {
        const v = src[f];
        if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) r.add(required(path.child(f)));
      }
  }
}

/** The defined volumes: name -> the source field it uses (for mounts and devices). */
export type VolumeMap = Map<string, string>;

/**
 * ValidateVolumes. `podName` (a Pod's own name) enables the check of the names the server gives
 * the claims of generic ephemeral volumes.
 */
export function validateVolumes(r: Report, volumes: unknown, podName: string | undefined, path: FieldPath): VolumeMap {
  const defined: VolumeMap = new Map();
  const ephemeralClaims = new Set<string>();
  if (podName) for (const [v] of objs(volumes)) if (isObj(v.ephemeral)) ephemeralClaims.add(`${podName}-${s(v.name)}`);
  for (const [vol, i] of objs(volumes)) {
    const p = path.index(i);
    const before = r.count;
    const name = s(vol.name);
    let first: string | undefined;
    for (const [json, pathName] of SOURCES) {
      const src = obj(vol[json]);
      if (!src) continue;
      if (first) {
        r.add(forbidden(p.child(pathName), 'may not specify more than 1 volume type'));
        continue;
      }
      first = json;
      validateSource(r, json, src, p.child(json));
      if (json === 'ephemeral' && podName && name) {
        for (const m of nameIsDNSSubdomain(`${podName}-${name}`, false)) r.add(invalid(p.child('name'), name, `PVC name "${podName}-${name}": ${m}`));
      }
    }
    if (!first) r.add(required(p, 'must specify a volume type'));
    if (!name) r.add(required(p.child('name')));
    else for (const m of isDNS1123Label(name)) r.add(invalid(p.child('name'), name, m));
    if (defined.has(name)) r.add(duplicate(p.child('name'), name));
    if (r.count === before && first) defined.set(name, first);
    const claim = s(obj(vol.persistentVolumeClaim)?.claimName);
    if (claim && ephemeralClaims.has(claim)) r.add(invalid(p.child('persistentVolumeClaim', 'claimName'), claim, 'must not reference a PVC that gets created for an ephemeral volume'));
  }
  return defined;
}

/** Whether any element of a list is set (used for devices' PVC check). */
export const isClaimSource = (source: string | undefined): boolean => source === 'persistentVolumeClaim' || source === 'ephemeral';
