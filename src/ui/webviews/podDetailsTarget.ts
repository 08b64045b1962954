/**
 * Which pod "Show Pod Details" was asked about: a pod or container row of the Cluster view, a pod
 * row of the GPU view (in the selected context), or a plain { context?, namespace, name }. Pure.
 */
import { isPodRef, type PodRef } from './podDetailsProtocol';

export interface PodDetailsTarget {
  ref: PodRef;
  /** The container whose log to show first (from a container row). */
  container?: string;
}

type Loose = Record<string, unknown>;

const isLoose = (v: unknown): v is Loose => typeof v === 'object' && v !== null;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function ref(context: unknown, namespace: unknown, name: unknown): PodRef | undefined {
  const candidate = { context: str(context), namespace: str(namespace), name: str(name) };
  return isPodRef(candidate) ? candidate : undefined;
}

export function podDetailsTarget(arg: unknown, selectedContext: string | undefined): PodDetailsTarget | undefined {
  if (!isLoose(arg)) return undefined;
  switch (arg.type) {
    case 'pod': {
      const r = ref(arg.context, arg.namespace, arg.name);
      return r && { ref: r };
    }
    case 'container': {
      const r = ref(arg.context, arg.namespace, arg.pod);
      const container = str(arg.name);
      return r && (container ? { ref: r, container } : { ref: r });
    }
    case 'holder':
    case 'waiting': {
      const pod = isLoose(arg.pod) ? arg.pod : undefined;
      const r = pod && ref(selectedContext, pod.namespace, pod.name);
      return r && { ref: r };
    }
    case undefined: {
      const r = ref(arg.context ?? selectedContext, arg.namespace, arg.name);
      return r && { ref: r };
    }
    default:
      return undefined;
  }
}

/** Stable key of a pod, so one panel per pod is kept. */
export function podKey(ref: PodRef): string {
  return JSON.stringify([ref.context, ref.namespace, ref.name]);
}

/** The editor tab title of a pod's details panel. */
export function panelTitle(ref: PodRef): string {
  return `Pod ${ref.name}`;
}
