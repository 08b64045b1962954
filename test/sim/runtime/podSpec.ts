/**
 * The parts of a Pod spec the process runtime reads, and the rule that decides which pods it runs:
 * every container runs `node` on a script that lives in a volume mounted from a ConfigMap, or on
 * code given on its command line (`node -e …`).
 */
import { posix } from 'node:path';
import type { KubeObject } from '../../../src/kube/types';
import { imageCannotBePulled } from '../images';

export interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: KeyRef;
    secretKeyRef?: KeyRef;
    fieldRef?: { fieldPath: string };
  };
}

export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export interface ContainerPort {
  containerPort: number;
  name?: string;
  protocol?: string;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
}

export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  ports?: ContainerPort[];
  volumeMounts?: VolumeMount[];
}

export interface KeyToPath {
  key: string;
  path: string;
}

export interface Volume {
  name: string;
  configMap?: { name: string; items?: KeyToPath[]; optional?: boolean };
  secret?: { secretName: string; items?: KeyToPath[]; optional?: boolean };
  emptyDir?: Record<string, unknown>;
}

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

export interface PodSpec {
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  volumes?: Volume[];
  restartPolicy?: RestartPolicy;
  terminationGracePeriodSeconds?: number;
  nodeName?: string;
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
}

export function podSpecOf(pod: KubeObject): PodSpec {
  const spec = pod.spec as PodSpec | undefined;
  return spec && Array.isArray(spec.containers) ? spec : { containers: [] };
}

const nodeExecutables = new Set(['node', 'nodejs']);

/** Official node images (`node:22-alpine`, `docker.io/library/node`, ...): their entrypoint runs `node ARGS`. */
function isNodeImage(image: string | undefined): boolean {
  const repository = (image ?? '').split('@')[0].replace(/:[^/:]*$/, '');
  return posix.basename(repository) === 'node';
}

/** The container's argv as the image would run it: command then args (a node image runs `node` on bare args). */
export function argvOf(container: ContainerSpec): string[] {
  const args = container.args ?? [];
  if (!container.command?.length && isNodeImage(container.image) && args.length > 0 && !nodeExecutables.has(posix.basename(args[0]))) {
    return ['node', ...args];
  }
  return [...(container.command ?? []), ...args];
}

const evalFlags = new Set(['-e', '--eval', '-p', '--print']);

/** Index of the code of a `node [flags] -e CODE [args]` argv, or -1. */
export function evalIndex(argv: readonly string[]): number {
  if (argv.length < 3 || !nodeExecutables.has(posix.basename(argv[0]))) return -1;
  for (let i = 1; i < argv.length - 1; i++) {
    if (evalFlags.has(argv[i])) return i + 1;
    if (!argv[i].startsWith('-')) return -1;
  }
  return -1;
}

/** Index of the script argument in a `node [flags] script [args]` argv, or -1 (also for `node -e CODE`). */
export function scriptIndex(argv: readonly string[]): number {
  if (argv.length < 2 || !nodeExecutables.has(posix.basename(argv[0])) || evalIndex(argv) >= 0) return -1;
  return argv.findIndex((arg, i) => i > 0 && !arg.startsWith('-'));
}

/** True when the container runs node on code from its command line (`node -e CODE`). */
export function runsNodeEval(container: ContainerSpec): boolean {
  return evalIndex(argvOf(container)) >= 0;
}

function isUnder(path: string, dir: string): boolean {
  const rel = posix.relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !posix.isAbsolute(rel);
}

/** True when the container runs node on a file inside a ConfigMap volume mount. */
export function runsNodeFromConfigMap(container: ContainerSpec, volumes: readonly Volume[]): boolean {
  const argv = argvOf(container);
  const index = scriptIndex(argv);
  if (index < 0) return false;
  const script = posix.resolve(container.workingDir ?? '/', argv[index]);
  return (container.volumeMounts ?? []).some((mount) => {
    const volume = volumes.find((v) => v.name === mount.name);
    return volume?.configMap !== undefined && isUnder(script, posix.resolve(mount.mountPath));
  });
}

/**
 * The runtime claims a pod when all of its containers qualify and it has no init containers. One
 * whose image cannot be pulled is left to the simulated kubelet, which reports ImagePullBackOff.
 */
export function isProcessPod(pod: KubeObject): boolean {
  const spec = podSpecOf(pod);
  if (spec.containers.length === 0 || (spec.initContainers?.length ?? 0) > 0) return false;
  return spec.containers.every((c) => (runsNodeEval(c) || runsNodeFromConfigMap(c, spec.volumes ?? [])) && !imageCannotBePulled(c.image));
}

export function restartPolicyOf(spec: PodSpec): RestartPolicy {
  return spec.restartPolicy ?? 'Always';
}
