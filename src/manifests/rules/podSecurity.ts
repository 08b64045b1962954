import type { Finding } from '../types';
import { podTemplate, type Resource } from '../resource';
import { asSeq, at, get, pairOf, str, type YMap, type YNode } from '../tree';
import type { ResourceRule } from './rule';

/** Volume types the "restricted" Pod Security Standard allows. */
const ALLOWED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'image']);
const ID = 'pod-security-restricted';

/**
 * The Pod Security Standard "restricted" profile (baseline checks included), as Pod Security
 * Admission enforces it: no host namespaces, privileged containers, hostPath or host ports; no
 * privilege escalation; non-root; capabilities dropped; a RuntimeDefault or Localhost seccomp profile.
 */
export const podSecurityRules: ResourceRule = {
  meta: [{ id: ID, family: 'pod-security', severity: 'info', doc: 'Violations of the Pod Security Standard "restricted" profile, which namespaces labelled pod-security.kubernetes.io/enforce=restricted reject.' }],
  check(r: Resource, _ctx, out: Finding[]): void {
    const pod = podTemplate(r);
    if (!pod) return;
    const spec = pod.spec;
    const podSc = get(spec, 'securityContext');
    for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
      const p = pairOf(spec, field);
      if (p && p.value.kind === 'scalar' && p.value.value === true) push(out, p.key, `${field}: true shares the node's namespaces`);
    }
    for (const vol of asSeq(get(spec, 'volumes'))) {
      if (vol.kind !== 'map') continue;
      for (const p of vol.pairs) {
        const k = String(p.key.value);
        if (k !== 'name' && !ALLOWED_VOLUMES.has(k)) push(out, p.key, `volume type "${k}" is not allowed (only ${[...ALLOWED_VOLUMES].join(', ')})`);
      }
    }
    const podNonRoot = at(podSc, 'runAsNonRoot');
    const podSeccomp = str(at(podSc, 'seccompProfile', 'type'));
    checkRunAsUser(podSc, out);
    for (const c of pod.containers) {
      const sc = get(c.node, 'securityContext');
      const where = `container "${c.name}"`;
      const privileged = pairOf(sc, 'privileged');
      if (privileged?.value.kind === 'scalar' && privileged.value.value === true) push(out, privileged.key, `${where} is privileged`);
      for (const port of asSeq(get(c.node, 'ports'))) {
        const hp = pairOf(port, 'hostPort');
        if (hp?.value.kind === 'scalar' && hp.value.value !== 0 && hp.value.value !== null) push(out, hp.key, `${where} uses a hostPort`);
      }
      const ape = get(sc, 'allowPrivilegeEscalation');
      if (!(ape?.kind === 'scalar' && ape.value === false)) push(out, ape ?? c.anchor, `${where} must set securityContext.allowPrivilegeEscalation: false`);
      const nonRoot = get(sc, 'runAsNonRoot') ?? podNonRoot;
      if (!(nonRoot?.kind === 'scalar' && nonRoot.value === true)) push(out, get(sc, 'runAsNonRoot') ?? c.anchor, `${where} must run as non-root (securityContext.runAsNonRoot: true on the pod or container)`);
      checkRunAsUser(sc, out);
      const seccomp = str(at(sc, 'seccompProfile', 'type')) ?? podSeccomp;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') push(out, at(sc, 'seccompProfile', 'type') ?? c.anchor, `${where} needs seccompProfile.type RuntimeDefault or Localhost (on the pod or container)`);
      checkCapabilities(sc, c.anchor, where, out);
    }
  },
};

function checkRunAsUser(sc: YNode | undefined, out: Finding[]): void {
  const user = get(sc, 'runAsUser');
  if (user?.kind === 'scalar' && user.value === 0) push(out, user, 'runAsUser: 0 runs as root');
}

function checkCapabilities(sc: YNode | undefined, anchor: YNode, where: string, out: Finding[]): void {
  const caps = get(sc, 'capabilities') as YMap | undefined;
  const drop = asSeq(get(caps, 'drop')).map((d) => str(d));
  if (!drop.includes('ALL')) push(out, get(caps, 'drop') ?? anchor, `${where} must drop ALL capabilities (securityContext.capabilities.drop: [ALL])`);
  for (const add of asSeq(get(caps, 'add'))) {
    if (str(add) !== 'NET_BIND_SERVICE') push(out, add, `${where} may add only NET_BIND_SERVICE, not ${str(add) ?? 'this'}`);
  }
}

function push(out: Finding[], node: { start: number; end: number }, message: string): void {
  out.push({ ruleId: ID, message: `Pod Security "restricted": ${message}`, start: node.start, end: node.end });
}
