/**
 * The API server's own validation as diagnostics: each built-in resource, decoded as kubectl
 * would send it, runs through server/validate.ts for the target Kubernetes version; every error
 * the server would answer with (422 Invalid) becomes an error at the field it names, worded as
 * the server words it. Checks the server skips but whose objects fail later (a StatefulSet's pod
 * template) are warnings. GPU requests and limits are left to the gpu-* rules, which say more.
 */
import type { Finding, Fix } from '../types';
import { columnOf, type Resource } from '../resource';
import { toPlain } from '../plain';
import { closest } from '../schema/suggest';
import { errorText, type FieldError, type ServerRule } from '../server/fieldErrors';
import { validateObject, validatesKind } from '../server/validate';
import { get, type YMap, type YNode } from '../tree';
import { isGpuResource } from './gpu';
import type { ResourceRule, RuleMeta } from './rule';
import { locate, nodeAt } from './serverLocation';

const DOCS: Record<ServerRule, string> = {
  'server-metadata': 'The API server rejects the object\'s metadata: a name, generateName or namespace of the wrong form for the kind (DNS-1123 label or subdomain, DNS-1035 label for Services), label keys and values, annotation keys and their 256 KiB total, finalizer names, owner references.',
  'server-containers': 'The API server rejects a container: its name (DNS-1123 label, unique across containers and init containers), image, ports (IANA service names, ranges, unique names, host port conflicts), env names and valueFrom sources, envFrom, volume mounts (defined volume, unique path), devices, pull policy.',
  'server-probes': 'The API server rejects a probe or lifecycle handler: not exactly one handler, negative timings, successThreshold other than 1 for liveness and startup probes, probes on init containers that are not sidecars.',
  'server-resources': 'The API server rejects requests and limits: unknown resource names, negative or fractional values where integers are required, a request above its limit, extended resources and hugepages without an equal limit.',
  'server-volumes': 'The API server rejects a volume: its name, more than one source, a source missing required fields (secretName, claimName, hostPath path, ...), file modes out of range, projected sources with conflicting paths.',
  'server-pod-spec': 'The API server rejects the pod spec: restartPolicy and dnsPolicy values, dnsPolicy None without dnsConfig, host ports that differ from container ports with hostNetwork, activeDeadlineSeconds, hostname and subdomain, host aliases, readiness and scheduling gates.',
  'server-scheduling': 'The API server rejects scheduling fields: tolerations (operator, effect and value rules), node and pod affinity terms, topology spread constraints, node selector labels.',
  'server-security-context': 'The API server rejects a security context: user and group IDs out of range, seccomp and AppArmor profiles, sysctls, allowPrivilegeEscalation: false with privileged: true, fields a Windows pod may not set.',
  'server-workloads': "The API server rejects a Deployment, ReplicaSet, StatefulSet, DaemonSet or ReplicationController: selectors that are missing, empty or do not match the template's labels, negative counts, rolling-update rules (maxSurge and maxUnavailable both 0, over 100%, rollingUpdate with Recreate or OnDelete), restart policies other than Always.",
  'server-jobs': 'The API server rejects a Job or CronJob: restartPolicy other than OnFailure or Never, negative counts, completion modes and indexed-job limits, pod failure policies, selectors that are not generated, CronJob schedules (five fields, ranges, names, steps, macros), time zones and history limits.',
  'server-services': 'The API server rejects a Service: port names (required with more than one port, unique, DNS-1123 labels), port, targetPort and nodePort values, nodePort with type ClusterIP, externalName rules, clusterIP(s) and ipFamilies forms, session affinity, traffic policies for the wrong type.',
  'server-config': 'The API server rejects a ConfigMap or Secret: key names, a key in both data and binaryData, more than 1 MiB of data, the keys a Secret type requires (tls.crt and tls.key, .dockerconfigjson as JSON, username or password, ssh-privatekey, the service account annotation).',
  'server-storage': 'The API server rejects a PersistentVolumeClaim, PersistentVolume or StorageClass: missing access modes or storage request, ReadWriteOncePod with other modes, data sources, provisioner names, reclaim policy and binding mode values.',
  'server-networking': 'The API server rejects an Ingress, IngressClass or NetworkPolicy: pathType and path forms, backends (service xor resource, port name xor number), host and TLS host names and wildcards, CIDRs and except ranges, ports and endPort.',
  'server-policy': 'The API server rejects a PodDisruptionBudget, ResourceQuota, LimitRange or Namespace: minAvailable with maxUnavailable, percentages over 100%, quota resource names and scopes, limit ranges whose min, max and defaults contradict each other.',
  'server-rbac': 'The API server rejects a Role, ClusterRole or binding: rules without verbs, API groups or resources, non-resource URLs in namespaced rules, roleRef kinds and API group, subject kinds, API groups and namespaces.',
  'server-autoscaling': 'The API server rejects a HorizontalPodAutoscaler: minReplicas below 1, maxReplicas below minReplicas, the scale target, metric sources and targets, scaling policies and windows.',
  'server-field-ignored': 'The target Kubernetes version silently drops a field it does not know yet (sidecar init containers before 1.29, CronJob time zones before 1.25): accepted, but not doing what it says.',
};

export const SERVER_RULE_META: RuleMeta[] = (Object.keys(DOCS) as ServerRule[]).map((id) => ({
  id,
  family: 'server',
  severity: id === 'server-field-ignored' ? 'warning' : 'error',
  doc: DOCS[id],
}));

function message(e: FieldError): string {
  if (e.rule === 'server-field-ignored') return `${e.path.toString()}: ${e.detail}`;
  if (e.severity === 'warning') return `${e.note ?? 'the API server accepts this, but it will not work'}: ${errorText(e)}`;
  return `the API server rejects this: ${errorText(e)}`;
}

function replaceFix(node: YNode | undefined, title: string, text: string): Fix[] | undefined {
  if (!node || node.kind !== 'scalar' || node.quoted) return undefined;
  return [{ title, edits: [{ start: node.start, end: node.end, newText: text }] }];
}

/** A name for a Service port: "<protocol>-<port>", made unique among the ports. */
function portName(r: Resource, item: YMap): Fix[] | undefined {
  const ports = get(get(r.root, 'spec'), 'ports');
  const used = new Set(ports?.kind === 'seq' ? ports.items.map((p) => String((get(p, 'name') as { value?: unknown } | undefined)?.value ?? '')) : []);
  const port = get(item, 'port');
  const protocol = get(item, 'protocol');
  const proto = protocol?.kind === 'scalar' && typeof protocol.value === 'string' ? protocol.value.toLowerCase() : 'tcp';
  let name = port?.kind === 'scalar' ? `${proto}-${String(port.value)}` : 'port';
  for (let i = 2; used.has(name); i++) name = `${name.replace(/-\d+$/, '')}-${i}`;
  if (name.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) return undefined;
  if (item.pairs.length === 0) return undefined;
  const flow = r.text.charCodeAt(item.start) === 123;
  const first = item.pairs[0].key;
  const edit = flow ? { start: first.start, end: first.start, newText: `name: ${name}, ` } : { start: first.start, end: first.start, newText: `name: ${name}\n${' '.repeat(columnOf(r, first.start))}` };
  return [{ title: `Name the port "${name}"`, edits: [edit] }];
}

function fixesFor(r: Resource, e: FieldError, node: YNode | undefined): Fix[] | undefined {
  const last = e.path.segments().at(-1);
  if (e.type === 'FieldValueInvalid' && last?.kind === 'child' && last.name === 'successThreshold' && e.detail === 'must be 1') return replaceFix(node, 'Set successThreshold to 1', '1');
  if (e.type === 'FieldValueNotSupported' && e.supported?.length && node?.kind === 'scalar' && typeof node.value === 'string') {
    const s = closest(node.value, e.supported);
    if (s && s !== node.value) return replaceFix(node, `Change to "${s}"`, s);
  }
  if (e.type === 'FieldValueRequired' && e.rule === 'server-services' && last?.kind === 'child' && last.name === 'name') {
    const item = nodeAt(r.root, e.path.segments().slice(0, -1));
    if (item?.kind === 'map') return portName(r, item);
  }
  return undefined;
}

export const serverRules: ResourceRule = {
  meta: SERVER_RULE_META,
  check(r: Resource, ctx, out: Finding[]): void {
    if (!validatesKind(r.apiVersion, r.kind)) return;
    const errors = validateObject(toPlain(r.root), { version: ctx.version });
    if (errors.length === 0) return;
    const kindNode = get(r.root, 'kind') ?? r.root;
    for (const e of errors) {
      // The gpu-* rules report GPU requests and limits with their own words and fixes.
      if (e.resource && isGpuResource(e.resource)) continue;
      const loc = locate(r.root, e, kindNode);
      const finding: Finding = { ruleId: e.rule, message: message(e), start: loc.start, end: loc.end };
      if (e.severity === 'warning') finding.severity = 'warning';
      const fixes = fixesFor(r, e, loc.node);
      if (fixes) finding.fixes = fixes;
      out.push(finding);
    }
  },
};
