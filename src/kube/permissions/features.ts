/**
 * The access every feature needs, declared once. The preflights ask the API server for exactly
 * these (access.ts), the Roles Tether suggests after a refusal grant them (remedy.ts), the README's
 * Roles are generated from them (profiles.ts; a unit test holds the README to it), and the
 * in-cluster agent's own Role is built from the agent's declaration (agentRole.ts). Pure data.
 */
import type { KindName } from '../kinds';
import { cleanupKinds, unlistedInCluster } from '../../sandbox/lifecycle/cleanupKinds';
import type { Condition, Feature, FeatureId, Need, Verb } from './needs';

/** What Tether does to each object a sandbox holds: looks it up, applies it (a patch, a create when new), lists it to prune and delete, deletes it. */
export const heldObjectVerbs: readonly Verb[] = ['get', 'list', 'create', 'patch', 'delete'];

/** A sandbox holds these only with a shareable preview host, in the mode named. */
const shareCondition: Readonly<Record<string, Condition>> = { Ingress: 'ingress', HTTPRoute: 'gateway' };

const shareNote: Readonly<Record<string, string>> = { Ingress: 'shareable preview host, Ingress mode', HTTPRoute: 'shareable preview host, Gateway mode' };

/** One need per kind a sandbox may hold, for its cleanup: conditional kinds only in their mode. */
function perCleanupKind(need: (kind: KindName) => Omit<Need, 'kinds' | 'when'> | undefined): Need[] {
  return cleanupKinds.flatMap((k) => {
    const kind = k.kind as KindName;
    const made = need(kind);
    if (!made) return [];
    const when = shareCondition[kind];
    return [{ ...made, kinds: [kind], ...(when ? { when, note: shareNote[kind] } : {}) }];
  });
}

/** Before 1.35 a port-forward's WebSocket needed `get` only (kubernetes/kubernetes#134577). */
const portForwardNote = 'create is needed from Kubernetes 1.35 on';

const workloads: readonly KindName[] = ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

const explorer: Feature = {
  id: 'explorer',
  title: 'the Cluster view',
  needs: [
    { kinds: ['Pod', 'Deployment', 'StatefulSet'], verbs: ['list', 'watch'], why: "to show the namespace's workloads and pods" },
    { kinds: ['ReplicaSet'], verbs: ['list', 'watch'], why: 'to group pods under their Deployments', fallback: "pods are grouped under the Deployment their ReplicaSet's name and pod-template-hash point to" },
    { kinds: ['DaemonSet', 'Job', 'CronJob'], verbs: ['list', 'watch'], why: 'to show DaemonSets, Jobs and CronJobs with their status', fallback: 'their pods are grouped under them, without their status' },
    { kinds: workloads, verbs: ['get'], why: 'to describe them' },
    { kinds: ['Pod'], subresource: 'log', verbs: ['get'], why: 'to show logs' },
    { kinds: ['Event'], verbs: ['list', 'watch'], why: "to show a pod's events", fallback: 'Pod Details shows no events' },
    { kinds: ['Namespace'], verbs: ['list', 'watch'], why: 'to list every namespace', fallback: "only the kubeconfig's namespace and the ones in the namespace filter are shown" },
  ],
};

const gpus: Feature = {
  id: 'gpus',
  title: 'the GPUs view',
  needs: [
    { kinds: ['Pod', 'ResourceQuota', 'Event'], verbs: ['list', 'watch'], why: 'to show which pods hold and wait for GPUs, the quotas, and why pods wait' },
    { kinds: ['Node'], verbs: ['list', 'watch'], why: 'to show GPU capacity per node', fallback: "nodes and free GPUs are not shown; the readable namespaces' pods are" },
    { kinds: ['Pod', 'ResourceQuota', 'Event'], verbs: ['list', 'watch'], place: 'allNamespaces', why: "to show every namespace's GPU pods", fallback: 'only the namespaces you may read are shown' },
  ],
};

const completion: Feature = {
  id: 'completion',
  title: "completion's cluster values",
  needs: [
    { kinds: ['ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'PersistentVolumeClaim'], verbs: ['list', 'watch'], why: 'to complete their names (Secrets: names only)', fallback: "that kind's values are left out" },
    { kinds: workloads, verbs: ['list', 'watch'], why: 'for pod labels, port names and the live-state lenses', fallback: 'those values and lenses are left out' },
    { kinds: ['Node', 'StorageClass', 'PriorityClass', 'RuntimeClass', 'IngressClass'], verbs: ['list', 'watch'], why: 'to complete node labels, resources, taints and class names', fallback: 'those values are left out' },
  ],
};

const tunnel: Feature = {
  id: 'tunnel',
  title: 'Tunnel Workload',
  needs: [
    { kinds: ['Deployment'], verbs: ['get'], why: "to read the workload's pod template and ports" },
    { kinds: ['StatefulSet'], verbs: ['get'], when: 'statefulSet', why: "to read the workload's pod template and ports" },
    { kinds: ['DaemonSet'], verbs: ['get'], when: 'daemonSet', why: "to read the workload's pod template and ports" },
    { kinds: ['StatefulSet'], verbs: ['list'], why: 'to offer StatefulSets to tunnel', fallback: 'only Deployments are offered' },
    { kinds: ['Deployment', 'ConfigMap', 'Secret', 'Service'], verbs: heldObjectVerbs, why: "to deploy and remove the relay (its Deployment, script, token and Service)" },
    { kinds: ['Pod'], verbs: ['get', 'list'], why: "to find the relay's pod" },
    { kinds: ['Pod'], subresource: 'portforward', verbs: ['get', 'create'], why: 'to reach the relay', note: portForwardNote },
  ],
};

const sandbox: Feature = {
  id: 'sandbox',
  title: 'creating the sandbox',
  needs: [
    { kinds: ['Deployment', 'StatefulSet', 'Service'], verbs: ['list'], place: 'baseline', why: 'to read the baseline' },
    { kinds: ['Deployment', 'StatefulSet', 'Service', 'ConfigMap', 'Secret', 'Lease', 'ServiceAccount', 'Role', 'RoleBinding'], verbs: heldObjectVerbs, onlyHeld: true, why: "to apply the sandbox's objects (and remove them again)" },
    { kinds: ['ConfigMap', 'Secret'], verbs: ['get'], place: 'baseline', when: 'ownNamespace', names: 'planned', why: 'to copy what the forks reference into the sandbox' },
    // Applied like every object: a server-side apply of a new object is a patch and a create.
    { kinds: ['Namespace'], verbs: ['get', 'create', 'patch', 'delete'], names: 'own', when: 'ownNamespace', why: 'to give the sandbox a namespace of its own' },
  ],
};

const preview: Feature = {
  id: 'preview',
  title: 'the preview',
  needs: [
    { kinds: ['Service'], verbs: ['get'], why: "to read the preview's entry Service" },
    { kinds: ['Pod'], verbs: ['get', 'list'], why: 'to find the pods behind the preview and the relay' },
    { kinds: ['Pod'], subresource: 'portforward', verbs: ['get', 'create'], why: 'to reach the preview and the relay', note: portForwardNote },
    { kinds: ['Event'], verbs: ['list'], why: "to say why the preview's pods are not ready", fallback: 'the reason is left out' },
    { kinds: ['Pod'], subresource: 'log', verbs: ['get'], why: "to report the preview's last errors", fallback: 'the last errors are left out' },
  ],
};

const share: Feature = {
  id: 'share',
  title: 'the shareable preview host',
  needs: [
    { kinds: ['Ingress'], verbs: heldObjectVerbs, when: 'ingress', why: 'to route the shareable host to the sandbox', note: shareNote.Ingress },
    { kinds: ['HTTPRoute'], verbs: heldObjectVerbs, when: 'gateway', why: 'to route the shareable host to the sandbox', note: shareNote.HTTPRoute },
  ],
};

const checks: Feature = {
  id: 'checks',
  title: 'sandbox checks',
  needs: [
    { kinds: ['Job'], verbs: ['get', 'create', 'patch'], why: 'to run checks as Jobs', note: 'sandbox checks run as Jobs' },
    { kinds: ['Pod'], verbs: ['list'], why: "to find a check's pod" },
    { kinds: ['Pod'], subresource: 'log', verbs: ['get'], why: "to read a check's log" },
  ],
};

const remove: Feature = {
  id: 'delete',
  title: 'Delete Sandbox',
  needs: [
    ...perCleanupKind(() => ({ verbs: ['get', 'list', 'delete'], why: "to delete the sandbox's objects" })),
    { kinds: ['Lease'], verbs: ['list'], place: 'allNamespaces', why: 'to find your sandboxes in every namespace', fallback: 'the namespaces you may read are searched' },
    { kinds: ['Namespace'], verbs: ['get', 'delete'], names: 'own', when: 'ownNamespace', why: "to delete the sandbox's own namespace" },
  ],
};

const sandboxes: Feature = {
  id: 'sandboxes',
  title: 'the Sandboxes view',
  needs: [
    { kinds: ['Lease'], verbs: ['list'], why: 'to list sandboxes' },
    { kinds: ['Lease'], verbs: ['list'], place: 'allNamespaces', why: 'to list sandboxes in every namespace', fallback: 'the namespaces you may read are searched' },
    { kinds: ['Deployment', 'StatefulSet', 'Pod', 'Event'], verbs: ['list'], why: "to show a sandbox's forks, pods and events" },
  ],
};

/**
 * The in-cluster agent's own Role (relay, preview gate or janitor): it reads its Lease and, once
 * that lapsed, lists and deletes the sandbox's objects. Secrets are never listed (that would let it
 * read every Secret of a shared namespace); they go with the Lease, their owner. Creating this
 * Role takes holding every rule of it (RBAC's escalation check), so the developer needs it too.
 */
const agent: Feature = {
  id: 'agent',
  title: "the sandbox's self-cleanup",
  needs: [
    { kinds: ['Lease'], verbs: ['get'], names: 'lease', why: 'to read the Lease it renews' },
    ...perCleanupKind((kind) => (unlistedInCluster.has(kind) ? undefined : { verbs: ['list'], why: "to find the sandbox's objects once its Lease lapsed" })),
    ...perCleanupKind(() => ({ verbs: ['delete'], names: 'planned', why: "to delete the sandbox's objects once its Lease lapsed" })),
    { kinds: ['Namespace'], verbs: ['delete'], names: 'own', when: 'ownNamespace', why: "to delete the sandbox's own namespace" },
  ],
};

/** What creating and previewing a sandbox brings along: its preview, shareable host and deletion. */
export const sandboxFeatures: readonly FeatureId[] = ['sandbox', 'preview', 'share', 'delete'];

export const features: Readonly<Record<FeatureId, Feature>> = { explorer, gpus, completion, tunnel, sandbox, preview, share, checks, delete: remove, sandboxes, agent };

/** The features a preflight of `id` covers: a sandbox's bring along its preview, host and deletion. */
export function familyOf(id: FeatureId): readonly FeatureId[] {
  return id === 'sandbox' ? sandboxFeatures : [id];
}
