import type { Finding } from '../types';
import { LONG_RUNNING_KINDS, podTemplate, type ContainerRef, type Resource } from '../resource';
import { asMap, asSeq, at, get, str, type YNode } from '../tree';
import type { ResourceRule } from './rule';

/** Splits an image reference into name, tag and digest ("registry:5000/app:1.2@sha256:..."). */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}

const PROBE_HANDLERS = ['httpGet', 'tcpSocket', 'grpc'] as const;

export const workloadRules: ResourceRule = {
  meta: [
    { id: 'container-resources-missing', family: 'workloads', severity: 'info', doc: 'Containers without resource requests get scheduled blind and without limits can starve their neighbours.' },
    { id: 'image-tag-missing', family: 'workloads', severity: 'info', doc: 'An image without a tag or digest means :latest: what runs changes under you.' },
    { id: 'image-tag-latest', family: 'workloads', severity: 'info', doc: 'The :latest tag is mutable; pin a version or a digest so rollouts are reproducible.' },
    { id: 'probes-missing', family: 'workloads', severity: 'info', doc: 'Long-running containers without readiness and liveness probes get traffic before they are ready and are never restarted when stuck.' },
    { id: 'probe-port-unknown', family: 'workloads', severity: 'warning', doc: "A probe's named port must be one of the container's port names: the API server accepts any name, but the kubelet's probe then fails and the container is never ready (or is restarted)." },
  ],
  check(r: Resource, _ctx, out: Finding[]): void {
    const pod = podTemplate(r);
    if (!pod) return;
    for (const c of pod.containers) {
      checkResources(c, out);
      checkImage(c, out);
      if (!c.init && LONG_RUNNING_KINDS.has(r.kind)) checkProbes(c, out);
      checkProbePorts(c, out);
    }
  },
};

function checkResources(c: ContainerRef, out: Finding[]): void {
  const resources = get(c.node, 'resources');
  const missing: string[] = [];
  if (!asMap(get(resources, 'requests'))?.pairs.length) missing.push('requests');
  if (!asMap(get(resources, 'limits'))?.pairs.length) missing.push('limits');
  if (missing.length === 0) return;
  out.push({
    ruleId: 'container-resources-missing',
    message: `container "${c.name}" has no resource ${missing.join(' or ')}`,
    start: c.anchor.start,
    end: c.anchor.end,
  });
}

function checkImage(c: ContainerRef, out: Finding[]): void {
  const node = get(c.node, 'image');
  const image = str(node);
  if (!node || image === undefined || image.includes('$')) return;
  const { tag, digest } = parseImage(image);
  if (digest) return;
  if (tag === undefined) {
    out.push({
      ruleId: 'image-tag-missing',
      message: `image "${image}" has no tag or digest, so it means :latest`,
      start: node.start,
      end: node.end,
      fixes: node.kind === 'scalar' && !node.quoted ? [{ title: 'Add a tag placeholder', edits: [{ start: node.end, end: node.end, newText: ':<tag>' }] }] : undefined,
    });
  } else if (tag === 'latest') {
    out.push({ ruleId: 'image-tag-latest', message: `image "${image}" uses the mutable :latest tag; pin a version or digest`, start: node.start, end: node.end });
  }
}

function checkProbes(c: ContainerRef, out: Finding[]): void {
  const missing = ['readinessProbe', 'livenessProbe'].filter((p) => get(c.node, p) === undefined);
  if (missing.length === 0) return;
  out.push({ ruleId: 'probes-missing', message: `container "${c.name}" has no ${missing.join(' or ')}`, start: c.anchor.start, end: c.anchor.end });
}

function checkProbePorts(c: ContainerRef, out: Finding[]): void {
  const names = new Set(asSeq(get(c.node, 'ports')).map((p) => str(get(p, 'name'))).filter((n): n is string => !!n));
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    for (const handler of PROBE_HANDLERS) {
      const port: YNode | undefined = at(c.node, probe, handler, 'port');
      if (port?.kind !== 'scalar' || typeof port.value !== 'string') continue;
      if (!names.has(port.value)) {
        out.push({
          ruleId: 'probe-port-unknown',
          message: `${probe} uses port "${port.value}" but container "${c.name}" declares ${names.size ? `only ${[...names].map((n) => `"${n}"`).join(', ')}` : 'no named ports'}`,
          start: port.start,
          end: port.end,
        });
      }
    }
  }
}
