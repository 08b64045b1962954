/**
 * Defaulting on create, as the API server's defaulters and admission do for the fields clients
 * read back: pod phase/QoS, namespace phase, workload replicas and strategy, service type and
 * ports, job selectors. A Service's addresses are the registry's (serviceAddresses.ts).
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../src/kube/types';

type Dict = Record<string, unknown>;

/** An object as a client writes it: the server fills in uid, resourceVersion and timestamps. */
export type ObjectInput = Omit<KubeObject, 'metadata'> & {
  kind: string;
  metadata: Partial<KubeObject['metadata']> & { name: string };
};

interface ResourceList {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

function qosClass(spec: Dict): string {
  const containers = (spec.containers as { resources?: ResourceList }[] | undefined) ?? [];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const r = c.resources ?? {};
    const req = r.requests ?? {};
    const lim = r.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const res of ['cpu', 'memory']) {
      const request = req[res] ?? lim[res];
      if (!lim[res] || request !== lim[res]) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function podSpecDefaults(spec: Dict): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.serviceAccountName ??= 'default';
  for (const c of (spec.containers as Dict[] | undefined) ?? []) {
    c.imagePullPolicy ??= String(c.image ?? '').endsWith(':latest') || !String(c.image ?? '').includes(':') ? 'Always' : 'IfNotPresent';
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.resources ??= {};
  }
}

export function applyCreateDefaults(object: KubeObject): void {
  const spec = (object.spec ?? undefined) as Dict | undefined;
  switch (object.kind) {
    case 'Namespace':
      object.metadata.labels = { ...object.metadata.labels, 'kubernetes.io/metadata.name': object.metadata.name };
      object.spec = { finalizers: ['kubernetes'], ...(spec ?? {}) };
      object.status = { phase: 'Active' };
      break;
    case 'Pod':
      if (spec) {
        podSpecDefaults(spec);
        object.status = { phase: 'Pending', qosClass: qosClass(spec) };
      }
      break;
    case 'Deployment':
      if (spec) {
        spec.replicas ??= 1;
        spec.revisionHistoryLimit ??= 10;
        spec.progressDeadlineSeconds ??= 600;
        spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
      }
      object.status ??= {};
      break;
    case 'ReplicaSet':
    case 'StatefulSet':
      if (spec) spec.replicas ??= 1;
      object.status = { replicas: 0, ...(object.status as Dict | undefined) };
      break;
    case 'Job':
      if (spec) {
        spec.parallelism ??= 1;
        spec.completions ??= 1;
        spec.backoffLimit ??= 6;
        spec.completionMode ??= 'NonIndexed';
        spec.suspend ??= false;
        if (!spec.selector) {
          const uid = object.metadata.uid;
          spec.selector = { matchLabels: { 'controller-uid': uid } };
          const template = (spec.template ??= {}) as Dict;
          const meta = (template.metadata ??= {}) as Dict;
          meta.labels = { ...(meta.labels as Dict | undefined), 'controller-uid': uid, 'job-name': object.metadata.name };
        }
      }
      object.status ??= {};
      break;
    case 'CronJob':
      if (spec) {
        spec.suspend ??= false;
        spec.concurrencyPolicy ??= 'Allow';
        spec.successfulJobsHistoryLimit ??= 3;
        spec.failedJobsHistoryLimit ??= 1;
      }
      object.status ??= {};
      break;
    case 'Service':
      if (spec) {
        spec.type ??= 'ClusterIP';
        if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
        spec.sessionAffinity ??= 'None';
        for (const p of (spec.ports as Dict[] | undefined) ?? []) {
          p.protocol ??= 'TCP';
          p.targetPort ??= p.port;
        }
      }
      object.status = { loadBalancer: {} };
      break;
    case 'Secret':
      object.type ??= 'Opaque';
      break;
  }
}

/**
 * A Secret's `stringData` is write-only: the API server merges it into `data` (base64, its keys
 * winning) on every write and never stores or returns it.
 */
export function mergeStringData(object: KubeObject): void {
  const secret = object as KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> };
  if (object.kind !== 'Secret' || secret.stringData === undefined) return;
  const encoded = Object.fromEntries(Object.entries(secret.stringData).map(([k, v]) => [k, Buffer.from(String(v), 'utf8').toString('base64')]));
  secret.data = { ...(secret.data ?? {}), ...encoded };
  delete secret.stringData;
}

/** A fresh uid, as the API server assigns on create. */
export function newUid(): string {
  return randomUUID();
}

const nameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** The 5-character random suffix the API server appends to `generateName`. */
export function randomSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += nameAlphabet[Math.floor(Math.random() * nameAlphabet.length)];
  return out;
}

/** RFC 3339 with second precision, as metadata timestamps are written. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
