/**
 * ConfigMaps and Secrets (core/validation: ValidateConfigMap, ValidateSecret): key names, the
 * data/binaryData overlap, the 1 MiB size limit, and the keys each Secret type requires. A
 * Secret's stringData is merged into data before validation, as the server does.
 */
import { invalid, required, tooLong, type Report } from './fieldErrors';
import { FieldPath } from './fieldPath';
import { byteLength, isConfigMapKey } from './names';
import { isObj, obj, s, strMap, type Obj } from './read';

const MAX_SIZE = 1024 * 1024;

/** Decoded length of a base64 string (the schema check reports malformed base64). */
function base64Length(v: string): number {
  const clean = v.replace(/\s+/g, '');
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - pad);
}

function decodeBase64(v: string): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: false }).decode(Uint8Array.from(atob(v.replace(/\s+/g, '')), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

export function validateConfigMap(r: Report, cm: Obj): void {
  r.as('server-config', () => {
    const data = strMap(cm.data) ?? {};
    const binary = obj(cm.binaryData) ?? {};
    let size = 0;
    for (const [k, v] of Object.entries(data)) {
      for (const m of isConfigMapKey(k)) r.add(invalid(FieldPath.root('data').key(k), k, m));
      if (Object.prototype.hasOwnProperty.call(binary, k)) r.add(invalid(FieldPath.root('data').key(k), k, 'duplicate of key present in binaryData'));
      size += byteLength(v);
    }
    for (const [k, v] of Object.entries(binary)) {
      for (const m of isConfigMapKey(k)) r.add(invalid(FieldPath.root('binaryData').key(k), k, m));
      if (typeof v === 'string') size += base64Length(v);
    }
    if (size > MAX_SIZE) r.add(tooLong(FieldPath.root(''), MAX_SIZE));
  });
}

/** The Secret's data as the server sees it: data, with stringData's keys merged over it. */
function secretData(secret: Obj): Map<string, { length: number; text: () => string | undefined }> {
  const out = new Map<string, { length: number; text: () => string | undefined }>();
  for (const [k, v] of Object.entries(obj(secret.data) ?? {})) {
    if (typeof v === 'string') out.set(k, { length: base64Length(v), text: () => decodeBase64(v) });
    else if (v === null) out.set(k, { length: 0, text: () => '' });
  }
  for (const [k, v] of Object.entries(obj(secret.stringData) ?? {})) {
    if (typeof v === 'string') out.set(k, { length: byteLength(v), text: () => v });
  }
  return out;
}

function jsonError(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isObj(parsed) ? undefined : `json: cannot unmarshal ${Array.isArray(parsed) ? 'array' : typeof parsed} into Go value of type map[string]interface {}`;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export function validateSecret(r: Report, secret: Obj): void {
  r.as('server-config', () => {
    const data = secretData(secret);
    const dataPath = FieldPath.root('data');
    let size = 0;
    for (const [k, v] of data) {
      for (const m of isConfigMapKey(k)) r.add(invalid(dataPath.key(k), k, m));
      size += v.length;
    }
    if (size > MAX_SIZE) r.add(tooLong(dataPath, MAX_SIZE));
    const type = s(secret.type);
    switch (type) {
      case 'kubernetes.io/service-account-token':
        if (!s(strMap(obj(secret.metadata)?.annotations)?.['kubernetes.io/service-account.name'])) r.add(required(FieldPath.root('metadata', 'annotations').key('kubernetes.io/service-account.name')));
        break;
      case 'kubernetes.io/dockercfg':
      case 'kubernetes.io/dockerconfigjson': {
        const key = type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
        const entry = data.get(key);
        if (!entry) r.add(required(dataPath.key(key)));
        else {
          const err = jsonError(entry.text());
          if (err) r.add(invalid(dataPath.key(key), '<secret contents redacted>', err));
        }
        break;
      }
      case 'kubernetes.io/basic-auth':
        if (!data.has('username') && !data.has('password')) {
          r.add(required(dataPath.key('username')));
          r.add(required(dataPath.key('password')));
        }
        break;
      case 'kubernetes.io/ssh-auth':
        if (!data.get('ssh-privatekey')?.length) r.add(required(dataPath.key('ssh-privatekey')));
        break;
      case 'kubernetes.io/tls':
        if (!data.has('tls.crt')) r.add(required(dataPath.key('tls.crt')));
        if (!data.has('tls.key')) r.add(required(dataPath.key('tls.key')));
        break;
    }
  });
}
