/**
 * What a field inserts: its key and, for objects and lists, its required children at the right
 * indentation, as a snippet with tab stops. Types people write by hand get a curated body (a
 * container with name, image and resources; a probe on the container's port; a toleration for the
 * cluster's GPU taint; a workload with matching selector and labels); every other object gets its
 * required fields from the schema, two levels deep.
 */
import type { SchemaIndex } from '../schema/index';
import type { ParsedType } from '../schema/model';
import { snippetText, yamlScalar } from './items';

/** Numbered tab stops shared by everything one snippet is built from. */
export class Stops {
  private n = 0;

  next(): number {
    return ++this.n;
  }

  /** `${n:default}` with the default escaped. */
  placeholder(value: string): string {
    return `\${${this.next()}:${snippetText(value)}}`;
  }
}

/** Facts that make snippets fit: the container's first named port, the cluster's GPU taints and resources. */
export interface SnippetHints {
  portName?: string;
  gpuTaints?: readonly { key: string; value?: string; effect: string }[];
  gpuResource?: string;
  appName?: string;
}

/** A body: lines with relative indentation (two spaces a level), the first inserted at the cursor. */
type Body = string[];

const indent = (lines: Body, by = '  '): Body => lines.map((l) => (l === '' ? l : by + l));

/** "io.k8s.api.core.v1.Container" and "V1Container" both -> "Container". */
export function shortTypeName(name: string): string {
  const base = name.includes('.') && !/^V\d/.test(name) ? name.slice(name.lastIndexOf('.') + 1) : name;
  return base.replace(/^(?:V\d+(?:alpha|beta)?\d*|CoreV1|RbacV1|StorageV1)(?=[A-Z])/, '');
}

function containerBody(stops: Stops, hints: SnippetHints): Body {
  const name = stops.placeholder(hints.appName ?? 'app');
  const image = stops.placeholder('image:tag');
  const cpu = stops.placeholder('100m');
  const memoryStop = stops.next();
  return [
    `name: ${name}`,
    `image: ${image}`,
    'resources:',
    '  requests:',
    `    cpu: ${cpu}`,
    `    memory: \${${memoryStop}:128Mi}`,
    '  limits:',
    `    memory: \${${memoryStop}}`,
  ];
}

function probeBody(stops: Stops, hints: SnippetHints): Body {
  return ['httpGet:', `  path: ${stops.placeholder('/healthz')}`, `  port: ${stops.placeholder(hints.portName ?? '8080')}`, `periodSeconds: ${stops.placeholder('10')}`];
}

/** A toleration for a taint: Exists when the taint has no value, Equal with it otherwise. */
export function tolerationBody(taint: { key: string; value?: string; effect: string }): Body {
  const key = snippetText(yamlScalar(taint.key));
  return taint.value
    ? [`key: ${key}`, 'operator: Equal', `value: ${snippetText(yamlScalar(taint.value))}`, `effect: ${taint.effect}`]
    : [`key: ${key}`, 'operator: Exists', `effect: ${taint.effect}`];
}

/** Requests equal to limits for a GPU resource (extended resources cannot be overcommitted). */
export function gpuResourcesBody(stops: Stops, resource: string): Body {
  const count = stops.next();
  const r = snippetText(resource);
  return ['requests:', `  cpu: ${stops.placeholder('1')}`, `  memory: ${stops.placeholder('8Gi')}`, `  ${r}: \${${count}:1}`, 'limits:', `  ${r}: \${${count}}`];
}

function podSpecBody(stops: Stops, hints: SnippetHints, job: boolean): Body {
  const container = containerBody(stops, hints);
  return [...(job ? ['restartPolicy: Never'] : []), 'containers:', `  - ${container[0]}`, ...indent(container.slice(1), '    ')];
}

function podTemplateBody(stops: Stops, hints: SnippetHints, app: string, job: boolean): Body {
  return ['metadata:', '  labels:', `    app: ${app}`, 'spec:', ...indent(podSpecBody(stops, { ...hints, appName: undefined }, job))];
}

/** spec of a Deployment, StatefulSet, DaemonSet or ReplicaSet: selector and template labels kept equal. */
function workloadSpecBody(stops: Stops, hints: SnippetHints, statefulSet: boolean): Body {
  const appStop = stops.next();
  const app = `\${${appStop}:${snippetText(hints.appName ?? 'app')}}`;
  return [
    ...(statefulSet ? [`serviceName: \${${appStop}}`] : []),
    'selector:',
    '  matchLabels:',
    `    app: ${app}`,
    'template:',
    ...indent(podTemplateBody(stops, hints, `\${${appStop}}`, false)),
  ];
}

const CURATED: Record<string, (stops: Stops, hints: SnippetHints) => Body> = {
  Container: containerBody,
  Probe: probeBody,
  PodSpec: (s, h) => podSpecBody(s, h, false),
  DeploymentSpec: (s, h) => workloadSpecBody(s, h, false),
  ReplicaSetSpec: (s, h) => workloadSpecBody(s, h, false),
  DaemonSetSpec: (s, h) => workloadSpecBody(s, h, false),
  StatefulSetSpec: (s, h) => workloadSpecBody(s, h, true),
  JobSpec: (s, h) => ['template:', ...indent(['spec:', ...indent(podSpecBody(s, h, true))])],
  CronJobSpec: (s, h) => [`schedule: "${s.placeholder('0 * * * *')}"`, 'jobTemplate:', '  spec:', '    template:', '      spec:', ...indent(podSpecBody(s, h, true), '        ')],
  ServiceSpec: (s, h) => {
    const app = s.placeholder(h.appName ?? 'app');
    return ['selector:', `  app: ${app}`, 'ports:', `  - name: ${s.placeholder('http')}`, `    port: ${s.placeholder('80')}`, `    targetPort: ${s.placeholder(h.portName ?? 'http')}`];
  },
};

const MAX_DEPTH = 2;

/** The lines an object of `typeName` starts with: a curated body, or its required fields. */
export function objectBody(schema: SchemaIndex, typeName: string, stops: Stops, hints: SnippetHints, depth = 0): Body {
  const curated = CURATED[shortTypeName(typeName)];
  if (curated) return curated(stops, hints);
  const obj = schema.object(typeName);
  if (!obj || depth >= MAX_DEPTH) return [];
  const out: Body = [];
  for (const name of obj.r ?? []) {
    const field = obj.p[name];
    if (!field) continue;
    out.push(...fieldBody(schema, name, schema.fieldType(field), field.e, stops, hints, depth + 1));
  }
  return out;
}

/** `name:` with what its value starts with, as body lines. */
export function fieldBody(schema: SchemaIndex, name: string, type: ParsedType, enumValues: readonly string[] | undefined, stops: Stops, hints: SnippetHints, depth = 0): Body {
  const key = snippetText(yamlScalar(name));
  switch (type.kind) {
    case 'scalar':
      return [`${key}: ${scalarStop(type.name, enumValues, stops)}`];
    case 'map':
      return [`${key}:`, `  \${${stops.next()}}`];
    case 'array': {
      if (type.items.kind !== 'ref') return [`${key}:`, `  - \${${stops.next()}}`];
      const body = objectBody(schema, type.items.name, stops, hints, depth);
      if (body.length === 0) return [`${key}:`, `  - \${${stops.next()}}`];
      return [`${key}:`, `  - ${body[0]}`, ...indent(body.slice(1), '    ')];
    }
    case 'ref': {
      const body = objectBody(schema, type.name, stops, hints, depth);
      return body.length ? [`${key}:`, ...indent(body)] : [`${key}:`, `  \${${stops.next()}}`];
    }
  }
}

function scalarStop(name: string, enumValues: readonly string[] | undefined, stops: Stops): string {
  if (enumValues?.length) return `\${${stops.next()}|${enumValues.map((e) => e.replace(/[,|\\$}]/g, (c) => `\\${c}`)).join(',')}|}`;
  if (name === 'boolean') return `\${${stops.next()}|true,false|}`;
  return `\${${stops.next()}}`;
}

/** Body lines placed at `column`: the first where the cursor is, the rest indented to it. */
export function render(lines: Body, column: number): string {
  const pad = ' '.repeat(column);
  return lines.map((l, i) => (i === 0 || l === '' ? l : pad + l)).join('\n');
}
