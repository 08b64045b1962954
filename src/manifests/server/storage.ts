/**
 * PersistentVolumeClaims (and the claim templates of ephemeral volumes), PersistentVolumes and
 * StorageClasses: core/validation's ValidatePersistentVolumeClaimSpec and storage/validation.
 */
import { duplicate, forbidden, go, invalid, notSupported, required, tooLong, type Report } from './fieldErrors';
import { FieldPath } from './fieldPath';
import { isDNS1123Subdomain, isQualifiedName, nameIsDNSLabel, nameIsDNSSubdomain } from './names';
import { formatQuantity, parseQuantity, sign } from './quantity';
import { validateQuantityValue } from './resources';
import { validateAnnotations, validateLabelName, validateLabels, validateLabelSelector } from './meta';
import { isObj, obj, objs, s, str, strings, type Obj } from './read';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

/** Embedded object metadata of templates: only labels and annotations may be set. */
export function validateTemplateMeta(r: Report, meta: Obj | undefined, path: FieldPath): void {
  if (!meta) return;
  validateAnnotations(r, meta.annotations, path.child('annotations'));
  validateLabels(r, meta.labels, path.child('labels'));
  for (const [k, v] of Object.entries(meta)) {
    if (k === 'labels' || k === 'annotations' || v === undefined || v === null || v === '') continue;
    r.add(forbidden(path.child(k), 'cannot be set'));
  }
}

function validateAccessModes(r: Report, modes: unknown, path: FieldPath, requiredDetail: string): void {
  const list = strings(modes);
  if (list.length === 0) r.add(required(path, requiredDetail));
  let once = false;
  let other = false;
  for (const m of list) {
    if (!ACCESS_MODES.includes(m)) r.add(notSupported(path, m, ACCESS_MODES));
    else if (m === 'ReadWriteOncePod') once = true;
    else other = true;
  }
  if (once && other) r.add(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
}

function validateDataSource(r: Report, ds: Obj, path: FieldPath): void {
  if (!s(ds.name)) r.add(required(path.child('name')));
  if (!s(ds.kind)) r.add(required(path.child('kind')));
  const group = s(ds.apiGroup);
  if (!group && ds.kind !== 'PersistentVolumeClaim') r.add(invalid(path, s(ds.kind), "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
  if (group) for (const m of isDNS1123Subdomain(group)) r.add(invalid(path.child('apiGroup'), group, m));
}

export function validatePersistentVolumeClaimSpec(r: Report, spec: Obj, path: FieldPath): void {
  validateAccessModes(r, spec.accessModes, path.child('accessModes'), 'at least 1 access mode is required');
  if (spec.selector !== undefined) validateLabelSelector(r, spec.selector, path.child('selector'));
  const storagePath = path.child('resources').key('storage');
  const raw = obj(obj(spec.resources)?.requests)?.storage;
  const storage = raw === undefined ? undefined : parseQuantity(raw);
  if (raw === undefined || raw === null) r.add(required(storagePath));
  else if (storage && sign(storage) <= 0) r.add(invalid(storagePath, formatQuantity(storage), 'must be greater than zero'));
  else if (storage) validateQuantityValue(r, 'storage', storage, storagePath);
  const className = str(spec.storageClassName);
  if (className) for (const m of nameIsDNSSubdomain(className, false)) r.add(invalid(path.child('storageClassName'), className, m));
  const mode = spec.volumeMode;
  if (typeof mode === 'string' && mode !== 'Block' && mode !== 'Filesystem') r.add(notSupported(path.child('volumeMode'), mode, ['Block', 'Filesystem']));
  const ds = obj(spec.dataSource);
  const dsRef = obj(spec.dataSourceRef);
  if (ds) validateDataSource(r, ds, path.child('dataSource'));
  if (dsRef) validateDataSource(r, dsRef, path.child('dataSourceRef'));
  if (dsRef && s(dsRef.namespace)) {
    if (ds) r.add(invalid(path, go(path.child('dataSource').toString()), 'may not be specified when dataSourceRef.namespace is specified'));
  } else if (ds && dsRef && (s(ds.apiGroup) !== s(dsRef.apiGroup) || s(ds.kind) !== s(dsRef.kind) || s(ds.name) !== s(dsRef.name))) {
    r.add(invalid(path, go(path.child('dataSource').toString()), 'must match dataSourceRef'));
  }
}

export function validatePersistentVolumeSpec(r: Report, spec: Obj, path: FieldPath): void {
  validateAccessModes(r, spec.accessModes, path.child('accessModes'), '');
  const capacity = obj(spec.capacity);
  const keys = Object.keys(capacity ?? {});
  if (keys.length === 0) r.add(required(path.child('capacity')));
  if (!keys.includes('storage') || keys.length > 1) r.add(notSupported(path.child('capacity'), go('core.ResourceList{...}'), ['storage']));
  for (const k of keys) {
    const q = parseQuantity(capacity![k]);
    if (q && sign(q) <= 0) r.add(invalid(path.child('capacity').key(k), formatQuantity(q), 'must be greater than zero'));
  }
  const policy = spec.persistentVolumeReclaimPolicy;
  if (typeof policy === 'string' && policy && !['Delete', 'Recycle', 'Retain'].includes(policy)) r.add(notSupported(path.child('persistentVolumeReclaimPolicy'), policy, ['Delete', 'Recycle', 'Retain']));
  const sources = ['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'flocker', 'nfs', 'rbd', 'quobyte', 'cephfs', 'iscsi', 'cinder', 'fc', 'flexVolume', 'azureFile', 'vsphereVolume', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'local', 'storageos', 'csi'];
  const used = sources.filter((k) => isObj(spec[k]));
  if (used.length === 0) r.add(required(path, 'must specify a volume type'));
  for (const extra of used.slice(1)) r.add(forbidden(path.child(extra), 'may not specify more than 1 volume type'));
  const local = obj(spec.local);
  if (local && !s(local.path)) r.add(required(path.child('local', 'path')));
  if (local && !obj(spec.nodeAffinity)) r.add(required(path.child('nodeAffinity'), 'Local volume requires node affinity'));
}

const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;

export function validateStorageClass(r: Report, sc: Obj): void {
  const provisioner = s(sc.provisioner);
  if (!provisioner) r.add(required(root('provisioner'), provisioner));
  else for (const m of isQualifiedName(provisioner.toLowerCase())) r.add(invalid(root('provisioner'), provisioner.toLowerCase(), m));
  const params = obj(sc.parameters) ?? {};
  const keys = Object.keys(params);
  if (keys.length > MAX_PARAMETERS) r.add(tooLong(root('parameters'), MAX_PARAMETERS));
  let size = 0;
  for (const k of keys) size += k.length + String(params[k] ?? '').length;
  if (size > MAX_PARAMETERS_SIZE) r.add(tooLong(root('parameters'), MAX_PARAMETERS_SIZE));
  const policy = sc.reclaimPolicy;
  if (typeof policy === 'string' && policy && policy !== 'Delete' && policy !== 'Retain') r.add(notSupported(root('reclaimPolicy'), policy, ['Delete', 'Retain']));
  const mode = sc.volumeBindingMode;
  if (typeof mode === 'string' && mode !== 'Immediate' && mode !== 'WaitForFirstConsumer') r.add(notSupported(root('volumeBindingMode'), mode, ['Immediate', 'WaitForFirstConsumer']));
  const seen: string[] = [];
  for (const [term, i] of objs(sc.allowedTopologies)) {
    const p = root('allowedTopologies').index(i);
    const keysInTerm = new Set<string>();
    const exprs: string[] = [];
    for (const [expr, j] of objs(term.matchLabelExpressions)) {
      const ep = p.child('matchLabelExpressions').index(j);
      const values = strings(expr.values);
      if (values.length === 0) r.add(required(ep.child('values')));
      values.forEach((v, k) => {
        if (values.indexOf(v) !== k) r.add(duplicate(ep.child('values').index(k), v));
      });
      validateLabelName(r, s(expr.key), ep.child('key'));
      if (keysInTerm.has(s(expr.key))) r.add(duplicate(ep.child('key'), s(expr.key)));
      keysInTerm.add(s(expr.key));
      exprs.push(`${s(expr.key)}=${[...new Set(values)].sort().join(',')}`);
    }
    const signature = exprs.sort().join(';');
    if (seen.includes(signature)) r.add(duplicate(p.child('matchLabelExpressions'), ''));
    seen.push(signature);
  }
}

export function validatePersistentVolumeClaim(r: Report, pvc: Obj): void {
  validatePersistentVolumeClaimSpec(r, obj(pvc.spec) ?? {}, root('spec'));
}

/** StatefulSet volumeClaimTemplates' names and specs, as the controller's claims will meet them. */
export function validateClaimTemplates(r: Report, templates: unknown, path: FieldPath): void {
  for (const [t, i] of objs(templates)) {
    const name = s(obj(t.metadata)?.name);
    if (name) for (const m of nameIsDNSLabel(name, false)) r.add(invalid(path.index(i).child('metadata', 'name'), name, m));
    validatePersistentVolumeClaimSpec(r, obj(t.spec) ?? {}, path.index(i).child('spec'));
  }
}

function root(name: string): FieldPath {
  return FieldPath.root(name);
}
