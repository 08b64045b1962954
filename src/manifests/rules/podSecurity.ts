import type { Finding, PodSecurityMode, Severity } from '../types';
import { podTemplate, type Resource } from '../resource';
import { asSeq, at, get, pairOf, str, type YMap, type YNode } from '../tree';
import type { ResourceRule, RuleContext } from './rule';

/** Volume types the "restricted" Pod Security Standard allows. */
const ALLOWED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'image']);
/** Capabilities the "baseline" profile lets a container add. */
const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const ID = 'pod-security-restricted';

type Level = 'baseline' | 'restricted';

interface Violation {
  level: Level;
  /** Short name for the summary line. */
  topic: string;
  message: string;
  node: { start: number; end: number };
}

/**
 * The Pod Security Standards as Pod Security Admission checks them: "baseline" (no host
 * namespaces, privileged containers, hostPath volumes, host ports or added capabilities beyond the
 * default set) and "restricted" (baseline plus non-root, no privilege escalation, capabilities
 * dropped, a RuntimeDefault or Localhost seccomp profile, only ephemeral-style volumes).
 */
function violations(r: Resource): Violation[] {
  const pod = podTemplate(r);
  if (!pod) return [];
  const out: Violation[] = [];
  const add = (level: Level, topic: string, node: { start: number; end: number }, message: string): void => {
    out.push({ level, topic, node, message });
  };
  const spec = pod.spec;
  const podSc = get(spec, 'securityContext');
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    const p = pairOf(spec, field);
    if (p && p.value.kind === 'scalar' && p.value.value === true) add('baseline', field, p.key, `${field}: true shares the node's namespaces`);
  }
  for (const vol of asSeq(get(spec, 'volumes'))) {
    if (vol.kind !== 'map') continue;
    for (const p of vol.pairs) {
      const k = String(p.key.value);
      if (k === 'hostPath') add('baseline', 'hostPath volumes', p.key, 'hostPath volumes are not allowed');
      else if (k !== 'name' && !ALLOWED_VOLUMES.has(k)) add('restricted', 'volume types', p.key, `volume type "${k}" is not allowed (only ${[...ALLOWED_VOLUMES].join(', ')})`);
    }
  }
  const podNonRoot = at(podSc, 'runAsNonRoot');
  const podSeccomp = str(at(podSc, 'seccompProfile', 'type'));
  runAsUser(podSc, add);
  for (const c of pod.containers) {
    const sc = get(c.node, 'securityContext');
    const where = `container "${c.name}"`;
    const privileged = pairOf(sc, 'privileged');
    if (privileged?.value.kind === 'scalar' && privileged.value.value === true) add('baseline', 'privileged', privileged.key, `${where} is privileged`);
    for (const port of asSeq(get(c.node, 'ports'))) {
      const hp = pairOf(port, 'hostPort');
      if (hp?.value.kind === 'scalar' && hp.value.value !== 0 && hp.value.value !== null) add('baseline', 'hostPort', hp.key, `${where} uses a hostPort`);
    }
    const ape = get(sc, 'allowPrivilegeEscalation');
    if (!(ape?.kind === 'scalar' && ape.value === false)) add('restricted', 'allowPrivilegeEscalation', ape ?? c.anchor, `${where} must set securityContext.allowPrivilegeEscalation: false`);
    const nonRoot = get(sc, 'runAsNonRoot') ?? podNonRoot;
    if (!(nonRoot?.kind === 'scalar' && nonRoot.value === true)) add('restricted', 'runAsNonRoot', get(sc, 'runAsNonRoot') ?? c.anchor, `${where} must run as non-root (securityContext.runAsNonRoot: true on the pod or container)`);
    runAsUser(sc, add);
    const seccomp = str(at(sc, 'seccompProfile', 'type')) ?? podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') add('restricted', 'seccompProfile', at(sc, 'seccompProfile', 'type') ?? c.anchor, `${where} needs seccompProfile.type RuntimeDefault or Localhost (on the pod or container)`);
    capabilities(sc, c.anchor, where, add);
  }
  return out;
}

type Add = (level: Level, topic: string, node: { start: number; end: number }, message: string) => void;

function runAsUser(sc: YNode | undefined, add: Add): void {
  const user = get(sc, 'runAsUser');
  if (user?.kind === 'scalar' && user.value === 0) add('restricted', 'runAsUser', user, 'runAsUser: 0 runs as root');
}

function capabilities(sc: YNode | undefined, anchor: YNode, where: string, add: Add): void {
  const caps = get(sc, 'capabilities') as YMap | undefined;
  const drop = asSeq(get(caps, 'drop')).map((d) => str(d));
  if (!drop.includes('ALL')) add('restricted', 'capabilities', get(caps, 'drop') ?? anchor, `${where} must drop ALL capabilities (securityContext.capabilities.drop: [ALL])`);
  for (const a of asSeq(get(caps, 'add'))) {
    const name = str(a) ?? '';
    if (!BASELINE_CAPABILITIES.has(name)) add('baseline', 'capabilities', a, `${where} may not add ${name || 'this capability'}`);
    else if (name !== 'NET_BIND_SERVICE') add('restricted', 'capabilities', a, `${where} may add only NET_BIND_SERVICE, not ${name}`);
  }
}

/** The Pod Security labels of the namespace a resource goes to, when the connected cluster told us. */
function namespacePolicy(r: Resource, ctx: RuleContext): { ns: string; enforce?: Level; warn?: Level } | undefined {
  const namespaces = ctx.cluster?.namespaces;
  if (!namespaces) return undefined;
  const ns = r.namespace ?? 'default';
  const labels = namespaces.find((n) => n.name === ns)?.labels ?? {};
  const level = (key: string): Level | undefined => {
    const v = labels[`pod-security.kubernetes.io/${key}`];
    return v === 'restricted' || v === 'baseline' ? v : undefined;
  };
  return { ns, enforce: level('enforce'), warn: level('warn') ?? level('audit') };
}

function applies(v: Violation, level: Level): boolean {
  return level === 'restricted' || v.level === 'baseline';
}

export const podSecurityRules: ResourceRule = {
  meta: [{ id: ID, family: 'pod-security', severity: 'info', doc: 'Pod Security Standards ("baseline", "restricted"). Listed one by one where they matter: where the target namespace of the connected cluster enforces a profile (an error for Pods, which the API server refuses; a warning for workloads, whose pods it refuses) or warns about one, or when tether.lint.podSecurity asks; otherwise at most one summary line per workload.' }],
  check(r: Resource, ctx, out: Finding[]): void {
    const all = violations(r);
    if (all.length === 0) return;
    const mode: PodSecurityMode = ctx.podSecurity ?? 'auto';
    if (mode === 'restricted' || mode === 'baseline') {
      for (const v of all) if (applies(v, mode)) push(out, v, `Pod Security "${mode}": ${v.message}`);
      return;
    }
    const policy = mode === 'auto' ? namespacePolicy(r, ctx) : undefined;
    if (policy?.enforce) {
      const level = policy.enforce;
      const severity: Severity = r.kind === 'Pod' ? 'error' : 'warning';
      const lead = r.kind === 'Pod'
        ? `the API server refuses this Pod: namespace "${policy.ns}" enforces Pod Security "${level}"`
        : `namespace "${policy.ns}" enforces Pod Security "${level}": the API server accepts this ${r.kind} but refuses its pods`;
      for (const v of all) if (applies(v, level)) push(out, v, `${lead}: ${v.message}`, severity);
    }
    if (policy?.warn && policy.warn !== policy.enforce) {
      for (const v of all) if (applies(v, policy.warn) && !(policy.enforce && applies(v, policy.enforce))) push(out, v, `namespace "${policy.ns}" warns about Pod Security "${policy.warn}": ${v.message}`);
    }
    if (policy?.enforce || policy?.warn) return;
    const topics = [...new Set(all.map((v) => v.topic))];
    out.push({
      ruleId: ID,
      message: `Pod Security "restricted": ${all.length} finding${all.length === 1 ? '' : 's'} (${topics.join(', ')}); namespaces that enforce it refuse these pods. Set tether.lint.podSecurity (--pod-security on the command line) to "restricted" to list them`,
      start: r.anchor.start,
      end: r.anchor.end,
    });
  },
};

function push(out: Finding[], v: Violation, message: string, severity?: Severity): void {
  const f: Finding = { ruleId: ID, message, start: v.node.start, end: v.node.end };
  if (severity) f.severity = severity;
  out.push(f);
}
