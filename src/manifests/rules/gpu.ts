import type { Finding, Fix, NodeFacts } from '../types';
import { columnOf, podTemplate, type Resource } from '../resource';
import { asMap, asSeq, get, pairOf, str, type YMap, type YPair } from '../tree';
import { quantityValue } from '../schema/formats';
import { closest } from '../schema/suggest';
import type { ResourceRule, RuleContext } from './rule';

/** Extended resources that are GPUs: whole devices that cannot be overcommitted. */
export function isGpuResource(name: string): boolean {
  return /^(?:nvidia\.com\/(?:gpu|mig-.+)|amd\.com\/gpu|gpu\.intel\.com\/.+)$/.test(name);
}

/** MIG profiles NVIDIA ships (A30, A100 40/80 GB, H100, H200, GH200, B200), as device-plugin resource suffixes. */
export const MIG_PROFILES: readonly string[] = [
  '1g.6gb', '1g.6gb+me', '2g.12gb', '2g.12gb+me', '4g.24gb',
  '1g.5gb', '1g.5gb+me', '1g.10gb', '2g.10gb', '3g.20gb', '4g.20gb', '7g.40gb',
  '1g.10gb+me', '1g.20gb', '2g.20gb', '3g.40gb', '4g.40gb', '7g.80gb',
  '1g.12gb', '1g.12gb+me', '1g.24gb', '2g.24gb', '3g.47gb', '4g.47gb', '7g.94gb',
  '3g.48gb', '4g.48gb', '7g.96gb',
  '1g.18gb', '1g.18gb+me', '1g.35gb', '2g.35gb', '3g.71gb', '4g.71gb', '7g.141gb',
  '1g.23gb', '1g.23gb+me', '1g.45gb', '2g.45gb', '3g.90gb', '4g.90gb', '7g.180gb',
];
const MIG_SET = new Set(MIG_PROFILES.flatMap((p) => [p, p.replace('+me', '.me')]));

function gpuPairs(map: YMap | undefined): YPair[] {
  return map ? map.pairs.filter((p) => isGpuResource(String(p.key.value))) : [];
}

function text(pair: YPair): string {
  return str(pair.value) ?? '';
}

export const gpuRules: ResourceRule = {
  meta: [
    { id: 'gpu-whole-number', family: 'gpu', severity: 'error', doc: 'GPU extended resources (nvidia.com/gpu, amd.com/gpu, MIG profiles) are whole devices: requests and limits must be positive whole numbers.' },
    { id: 'gpu-limit-missing', family: 'gpu', severity: 'error', doc: 'A GPU request needs a limit; the API server rejects extended-resource requests without one.' },
    { id: 'gpu-request-equals-limit', family: 'gpu', severity: 'error', doc: 'GPUs cannot be overcommitted, so a GPU request must equal its limit.' },
    { id: 'gpu-mig-profile-unknown', family: 'gpu', severity: 'warning', doc: 'A nvidia.com/mig-* resource names a MIG profile no NVIDIA GPU offers, so no node will ever have it.' },
    { id: 'gpu-toleration-missing', family: 'gpu', severity: 'warning', clusterAware: true, doc: "A GPU pod without a toleration for the connected cluster's GPU node taints cannot be scheduled on them." },
    { id: 'gpu-selector-missing', family: 'gpu', severity: 'info', clusterAware: true, doc: 'A GPU pod without a node selector or affinity while the cluster labels its GPU nodes (e.g. nvidia.com/gpu.product).' },
    { id: 'gpu-request-exceeds-node', family: 'gpu', severity: 'warning', clusterAware: true, doc: "A GPU request larger than any node's allocatable stays Pending forever (FailedScheduling: Insufficient nvidia.com/gpu)." },
  ],
  check(r: Resource, ctx: RuleContext, out: Finding[]): void {
    const pod = podTemplate(r);
    if (!pod) return;
    const requested = new Map<string, number>();
    for (const c of pod.containers) {
      const resources = asMap(get(c.node, 'resources'));
      const limits = asMap(get(resources, 'limits'));
      const requests = asMap(get(resources, 'requests'));
      for (const p of [...gpuPairs(requests), ...gpuPairs(limits)]) {
        const name = String(p.key.value);
        const v = p.value.kind === 'scalar' ? p.value.value : null;
        if (typeof v !== 'number' && !(typeof v === 'string' && /^\d+$/.test(v))) {
          out.push({ ruleId: 'gpu-whole-number', message: `${name} must be a whole number of devices, not "${text(p)}"`, start: p.value.start, end: p.value.end });
        } else if (Number(v) < 0 || !Number.isInteger(Number(v))) {
          out.push({ ruleId: 'gpu-whole-number', message: `${name} must be a whole number of devices, not ${String(v)}`, start: p.value.start, end: p.value.end });
        }
        const mig = name.match(/^nvidia\.com\/mig-(.+)$/);
        if (mig && !MIG_SET.has(mig[1])) {
          const s = closest(mig[1], MIG_PROFILES);
          out.push({ ruleId: 'gpu-mig-profile-unknown', message: `"${mig[1]}" is not a MIG profile NVIDIA GPUs offer${s ? `; did you mean "nvidia.com/mig-${s}"?` : ''}`, start: p.key.start, end: p.key.end });
        }
      }
      for (const req of gpuPairs(requests)) {
        const name = String(req.key.value);
        const lim = limits ? pairOf(limits, name) : undefined;
        if (!lim) {
          const fix = addLimitFix(r, resources, limits, name, text(req));
          out.push({ ruleId: 'gpu-limit-missing', message: `${name} is requested (${text(req)}) but has no limit; set limits.${name}: ${text(req)}`, start: req.key.start, end: req.key.end, fixes: fix ? [fix] : undefined });
        } else if (text(lim) !== text(req) && quantityValue(text(lim)) !== quantityValue(text(req))) {
          out.push({
            ruleId: 'gpu-request-equals-limit',
            message: `${name} request (${text(req)}) must equal its limit (${text(lim)}): GPUs cannot be overcommitted`,
            start: req.value.start,
            end: req.value.end,
            fixes: [{ title: `Set the ${name} request to the limit (${text(lim)})`, edits: [{ start: req.value.start, end: req.value.end, newText: text(lim) }] }],
          });
        }
      }
      for (const p of gpuPairs(limits)) {
        const name = String(p.key.value);
        const n = Number(text(p));
        if (Number.isFinite(n)) requested.set(name, Math.max(requested.get(name) ?? 0, n));
      }
    }
    if (ctx.cluster && requested.size > 0) clusterChecks(r, pod.spec, requested, ctx.cluster.nodes, out);
  },
};

function clusterChecks(r: Resource, spec: YMap, requested: Map<string, number>, nodes: NodeFacts[], out: Finding[]): void {
  const anchor = r.anchor;
  for (const [name, count] of requested) {
    const offering = nodes.filter((n) => Number(n.allocatable[name] ?? 0) > 0);
    const largest = Math.max(0, ...offering.map((n) => Number(n.allocatable[name])));
    if (count > largest) {
      out.push({
        ruleId: 'gpu-request-exceeds-node',
        message: offering.length === 0
          ? `asks for ${count} ${name} but no node in the cluster offers ${name}; it would stay Pending`
          : `asks for ${count} ${name} but the largest node offers ${largest} (${offering.find((n) => Number(n.allocatable[name]) === largest)?.name}); it would stay Pending with "Insufficient ${name}"`,
        start: anchor.start,
        end: anchor.end,
      });
      continue;
    }
    const tolerations = asSeq(get(spec, 'tolerations'));
    const fits = offering.filter((n) => Number(n.allocatable[name]) >= count);
    const schedulable = fits.filter((n) => n.taints.every((t) => t.effect === 'PreferNoSchedule' || tolerations.some((tol) => tolerates(tol, t))));
    if (schedulable.length === 0 && fits.length > 0) {
      const taint = fits[0].taints.find((t) => t.effect !== 'PreferNoSchedule' && !tolerations.some((tol) => tolerates(tol, t)));
      out.push({
        ruleId: 'gpu-toleration-missing',
        message: `every node with ${name} is tainted${taint ? ` (${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect})` : ''} and the pod has no matching toleration`,
        start: anchor.start,
        end: anchor.end,
      });
    }
    const gpuLabelled = fits.length > 0 && fits.every((n) => Object.keys(n.labels).some((l) => l.startsWith('nvidia.com/gpu') || l.startsWith('amd.com/gpu')));
    const hasSelector = get(spec, 'nodeSelector') !== undefined || get(spec, 'affinity') !== undefined;
    if (gpuLabelled && !hasSelector && nodes.length > fits.length) {
      out.push({ ruleId: 'gpu-selector-missing', message: `the cluster labels its ${name} nodes but the pod has no nodeSelector or affinity for them`, start: anchor.start, end: anchor.end });
    }
  }
}

function tolerates(tol: ReturnType<typeof get>, taint: NodeFacts['taints'][number]): boolean {
  const key = str(get(tol, 'key'));
  const op = str(get(tol, 'operator')) ?? 'Equal';
  const effect = str(get(tol, 'effect'));
  if (effect && effect !== taint.effect) return false;
  if (key === undefined) return op === 'Exists';
  if (key !== taint.key) return false;
  return op === 'Exists' || (str(get(tol, 'value')) ?? '') === (taint.value ?? '');
}

/** Adds `limits.<name>: <value>` next to the request: into an existing limits map, or as a new one. */
function addLimitFix(r: Resource, resources: YMap | undefined, limits: YMap | undefined, name: string, value: string): Fix | undefined {
  const title = `Add the limit ${name}: ${value}`;
  if (limits && limits.pairs.length > 0) {
    const last = limits.pairs[limits.pairs.length - 1];
    const flow = r.text.charCodeAt(limits.start) === 123;
    const newText = flow ? `, ${name}: ${value}` : `\n${' '.repeat(columnOf(r, limits.pairs[0].key.start))}${name}: ${value}`;
    return { title, edits: [{ start: last.end, end: last.end, newText }] };
  }
  const requests = resources ? pairOf(resources, 'requests') : undefined;
  if (!resources || !requests || limits || r.text.charCodeAt(resources.start) === 123) return undefined;
  const indent = ' '.repeat(columnOf(r, requests.key.start));
  return { title, edits: [{ start: requests.end, end: requests.end, newText: `\n${indent}limits:\n${indent}  ${name}: ${value}` }] };
}
