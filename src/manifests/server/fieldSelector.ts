/**
 * Downward API field selectors (core/validation validateObjectFieldSelector, with
 * pods.ConvertDownwardAPIFieldLabel and fieldpath.SplitMaybeSubscriptedPath): the apiVersion and
 * fieldPath are required, the path must be one the server can convert, subscripts ("['key']")
 * are for labels and annotations only and name a label key, and otherwise the path must be one of
 * those the context (env vars or volume files) supports.
 */
import { invalid, notSupported, required, type Report } from './fieldErrors';
import type { FieldPath } from './fieldPath';
import { isQualifiedName } from './names';
import { s, type Obj } from './read';

const CONVERTIBLE = new Set(['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName', 'status.phase', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs']);

/** Fields an env var may read (validEnvDownwardAPIFieldPathExpressions, sorted as the server lists them). */
export const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
/** Fields a downwardAPI volume file may read (validVolumeDownwardAPIFieldPathExpressions). */
export const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];

/** "metadata.labels['app']" -> ["metadata.labels", "app"]. */
function splitSubscript(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const inner = fieldPath.slice(0, -2);
  const at = inner.indexOf("['");
  if (at <= 0) return undefined;
  return [inner.slice(0, at), inner.slice(at + 2)];
}

export function validateObjectFieldSelector(r: Report, fs: Obj, expressions: readonly string[], path: FieldPath): void {
  if (!s(fs.apiVersion)) return r.add(required(path.child('apiVersion')));
  const fieldPath = s(fs.fieldPath);
  if (!fieldPath) return r.add(required(path.child('fieldPath')));
  const sub = splitSubscript(fieldPath);
  if (sub) {
    const [base, key] = sub;
    if (base === 'metadata.annotations') for (const m of isQualifiedName(key.toLowerCase())) r.add(invalid(path, key.toLowerCase(), m));
    else if (base === 'metadata.labels') for (const m of isQualifiedName(key)) r.add(invalid(path, key, m));
    else r.add(invalid(path.child('fieldPath'), fieldPath, `error converting fieldPath: field label does not support subscript: ${base}`));
    return;
  }
  const internal = fieldPath === 'spec.host' ? 'spec.nodeName' : fieldPath;
  if (!CONVERTIBLE.has(internal)) return r.add(invalid(path.child('fieldPath'), fieldPath, `error converting fieldPath: field label not supported: ${fieldPath}`));
  if (!expressions.includes(internal)) r.add(notSupported(path.child('fieldPath'), internal, expressions));
}
