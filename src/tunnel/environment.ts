/**
 * A workload container's environment as the kubelet would build it, for the developer's local
 * process: `envFrom` in order (later sources win), then `env` (wins over envFrom), with
 * `$(VAR)` expanded from variables defined before it and `$$(VAR)` left literal. Values come from
 * ConfigMaps and Secrets the caller fetched. Pure: see environmentFetch.ts for the API side.
 */

export interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: KeyRef;
    secretKeyRef?: KeyRef;
    fieldRef?: { fieldPath: string };
    resourceFieldRef?: { resource: string; containerName?: string };
  };
}

export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export interface ContainerEnv {
  name: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
}

/** What the resolver may read; a name missing from a map means the object does not exist. */
export interface EnvSources {
  configMaps: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Secret data, already decoded. */
  secrets: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Values for fieldRef paths that make sense off-cluster, e.g. metadata.namespace. */
  fields?: Readonly<Record<string, string>>;
}

export interface ResolvedEnvironment {
  variables: Record<string, string>;
  /** Variables whose value came from a Secret (keep them out of logs and files). */
  secretVariables: string[];
  /** Why some variables are missing, in plain words. */
  problems: string[];
}

const validName = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** The ConfigMaps and Secrets a container's environment reads. */
export function referencedObjects(container: ContainerEnv): { configMaps: string[]; secrets: string[] } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) configMaps.add(source.configMapRef.name);
    if (source.secretRef) secrets.add(source.secretRef.name);
  }
  for (const v of container.env ?? []) {
    if (v.valueFrom?.configMapKeyRef) configMaps.add(v.valueFrom.configMapKeyRef.name);
    if (v.valueFrom?.secretKeyRef) secrets.add(v.valueFrom.secretKeyRef.name);
  }
  return { configMaps: [...configMaps], secrets: [...secrets] };
}

/** Kubernetes' `$(VAR)` expansion: `$$` escapes, unknown references stay as written. */
export function expand(value: string, defined: Readonly<Record<string, string>>): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c !== '$' || i + 1 >= value.length) {
      out += c;
      continue;
    }
    const next = value[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = value.indexOf(')', i + 2);
      if (close < 0) {
        out += value.slice(i);
        break;
      }
      const name = value.slice(i + 2, close);
      out += Object.hasOwn(defined, name) ? defined[name] : value.slice(i, close + 1);
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

export function resolveEnvironment(container: ContainerEnv, sources: EnvSources): ResolvedEnvironment {
  const variables: Record<string, string> = {};
  const fromSecret = new Set<string>();
  const problems: string[] = [];
  const set = (name: string, value: string, secret: boolean) => {
    variables[name] = value;
    if (secret) fromSecret.add(name);
    else fromSecret.delete(name);
  };

  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    if (!ref) continue;
    const secret = Boolean(source.secretRef);
    const data = (secret ? sources.secrets : sources.configMaps).get(ref.name);
    if (!data) {
      if (!ref.optional) problems.push(`${secret ? 'Secret' : 'ConfigMap'} "${ref.name}" (envFrom) does not exist or could not be read`);
      continue;
    }
    for (const [key, value] of Object.entries(data)) {
      const name = `${source.prefix ?? ''}${key}`;
      if (!validName.test(name)) {
        problems.push(`key "${key}" of ${secret ? 'Secret' : 'ConfigMap'} "${ref.name}" is not a valid variable name; skipped`);
        continue;
      }
      set(name, value, secret);
    }
  }

  for (const v of container.env ?? []) {
    if (v.value !== undefined || !v.valueFrom) {
      set(v.name, expand(v.value ?? '', variables), false);
      continue;
    }
    const { configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef } = v.valueFrom;
    const keyRef = configMapKeyRef ?? secretKeyRef;
    if (keyRef) {
      const secret = Boolean(secretKeyRef);
      const kind = secret ? 'Secret' : 'ConfigMap';
      const data = (secret ? sources.secrets : sources.configMaps).get(keyRef.name);
      const value = data?.[keyRef.key];
      if (value === undefined) {
        if (!keyRef.optional) problems.push(`${v.name}: ${data ? `key "${keyRef.key}" is missing from` : 'cannot read'} ${kind} "${keyRef.name}"`);
        continue;
      }
      set(v.name, value, secret);
    } else if (fieldRef) {
      const value = sources.fields?.[fieldRef.fieldPath];
      if (value === undefined) problems.push(`${v.name}: ${fieldRef.fieldPath} only exists inside a running pod; not set locally`);
      else set(v.name, value, false);
    } else if (resourceFieldRef) {
      problems.push(`${v.name}: ${resourceFieldRef.resource} is a container resource value; not set locally`);
    }
  }
  return { variables, secretVariables: [...fromSecret].sort(), problems };
}

/** A dotenv file's text (values double-quoted, with backslash, quote, newline and `$` escaped). */
export function dotenvText(variables: Readonly<Record<string, string>>): string {
  const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\$/g, '\\$')}"`;
  return Object.entries(variables)
    .map(([k, v]) => `${k}=${quote(v)}\n`)
    .join('');
}
