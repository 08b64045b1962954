import type { Finding } from '../types';
import { podTemplate, type PodTemplate, type Resource } from '../resource';
import { asSeq, at, get, pairOf, str, stringMap } from '../tree';
import type { CrossRule } from './rule';

/** Kinds Kubernetes scopes to the cluster rather than a namespace. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'IngressClass', 'PriorityClass', 'CSIDriver', 'CustomResourceDefinition', 'Node', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'RuntimeClass']);

function namespaceOf(r: Resource): string {
  return CLUSTER_SCOPED.has(r.kind) ? '' : (r.namespace ?? 'default');
}


export const crossFileRules: CrossRule = {
  meta: [
    { id: 'duplicate-resource', family: 'cross-file', severity: 'warning', doc: 'Two documents declare the same kind, namespace and name; the later apply silently wins.' },
    { id: 'service-selector-no-match', family: 'cross-file', severity: 'warning', doc: "A Service's selector matches no workload's pod labels in the same namespace, so it has no endpoints." },
    { id: 'service-target-port-unknown', family: 'cross-file', severity: 'warning', doc: "A Service's named targetPort matches no container port name of the pods it selects." },
  ],
  check(resources: Resource[], ctx, report: (r: Resource, f: Finding) => void): void {
    const seen = new Map<string, Resource>();
    const workloads = new Map<string, { r: Resource; pod: PodTemplate }[]>();
    let workloadCount = 0;
    for (const r of resources) {
      if (r.name) {
        const key = `${r.group}/${r.kind}/${namespaceOf(r)}/${r.name}`;
        const first = seen.get(key);
        if (first) {
          report(r, {
            ruleId: 'duplicate-resource',
            message: `${r.kind} "${r.name}"${namespaceOf(r) ? ` in namespace "${namespaceOf(r)}"` : ''} is also declared in ${ctx.displayPath(first.file)} (document ${first.document.index + 1})`,
            start: r.anchor.start,
            end: r.anchor.end,
          });
        } else seen.set(key, r);
      }
      const pod = r.kind === 'Service' ? undefined : podTemplate(r);
      if (pod) {
        const ns = namespaceOf(r);
        const list = workloads.get(ns) ?? [];
        list.push({ r, pod });
        workloads.set(ns, list);
        workloadCount++;
      }
    }
    if (workloadCount === 0) return; // the workloads live elsewhere (another repository, a chart)
    for (const svc of resources) {
      if (svc.kind !== 'Service' || svc.group !== '') continue;
      const selectorPair = pairOf(get(svc.root, 'spec'), 'selector');
      if (!selectorPair || selectorPair.value.kind !== 'map' || selectorPair.value.pairs.length === 0) continue;
      const ns = namespaceOf(svc);
      const selector = Object.entries(stringMap(selectorPair.value));
      const selected = (workloads.get(ns) ?? []).filter((w) => selector.every(([k, v]) => w.pod.labels[k] === v));
      if (selected.length === 0) {
        report(svc, {
          ruleId: 'service-selector-no-match',
          message: `Service "${svc.name ?? ''}" selects no workload in namespace "${ns}" among the files checked; it will have no endpoints`,
          start: selectorPair.key.start,
          end: selectorPair.key.end,
        });
        continue;
      }
      const portNames = new Set<string>();
      for (const w of selected) for (const c of w.pod.containers) for (const p of asSeq(get(c.node, 'ports'))) {
        const n = str(get(p, 'name'));
        if (n) portNames.add(n);
      }
      for (const port of asSeq(at(svc.root, 'spec', 'ports'))) {
        const target = get(port, 'targetPort');
        if (target?.kind !== 'scalar' || typeof target.value !== 'string' || portNames.has(target.value)) continue;
        report(svc, {
          ruleId: 'service-target-port-unknown',
          message: `targetPort "${target.value}" is not a port name of the selected pods (${selected.map((w) => `${w.r.kind}/${w.r.name}`).join(', ')})${portNames.size ? `; they name ${[...portNames].map((n) => `"${n}"`).join(', ')}` : ''}`,
          start: target.start,
          end: target.end,
        });
      }
    }
  },
};
