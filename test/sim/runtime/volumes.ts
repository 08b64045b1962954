/**
 * Volumes of a process pod, materialised into the pod's private folder: ConfigMap `data` and
 * `binaryData`, Secret `data`, and emptyDir. Container paths under a mount map into that folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import type { SimCluster } from '../contracts';
import type { ContainerSpec, KeyToPath, PodSpec, Volume } from './podSpec';

/** A volume that cannot be set up; the message reads like the kubelet's FailedMount event. */
export class MountError extends Error {
  constructor(volume: string, why: string) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${why}`);
    this.name = 'MountError';
  }
}

function safeRelative(path: string, volume: string): string {
  const normal = posix.normalize(path);
  if (posix.isAbsolute(normal) || normal.startsWith('..')) throw new MountError(volume, `invalid path "${path}"`);
  return normal;
}

function writeFiles(dir: string, volume: string, files: Map<string, Buffer>, items: KeyToPath[] | undefined): void {
  mkdirSync(dir, { recursive: true });
  const wanted = items ?? [...files.keys()].map((key) => ({ key, path: key }));
  for (const item of wanted) {
    const content = files.get(item.key);
    if (content === undefined) throw new MountError(volume, `configmap references non-existent config key: ${item.key}`);
    const target = join(dir, safeRelative(item.path, volume));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

function configMapFiles(cluster: SimCluster, namespace: string, volume: Volume): Map<string, Buffer> | undefined {
  const source = volume.configMap!;
  const cm = cluster.get('ConfigMap', namespace, source.name);
  if (!cm) {
    if (source.optional) return new Map();
    throw new MountError(volume.name, `configmap "${source.name}" not found`);
  }
  const files = new Map<string, Buffer>();
  for (const [key, value] of Object.entries((cm.data ?? {}) as Record<string, string>)) files.set(key, Buffer.from(value, 'utf8'));
  for (const [key, value] of Object.entries((cm.binaryData ?? {}) as Record<string, string>)) files.set(key, Buffer.from(value, 'base64'));
  return files;
}

function secretFiles(cluster: SimCluster, namespace: string, volume: Volume): Map<string, Buffer> {
  const source = volume.secret!;
  const secret = cluster.get('Secret', namespace, source.secretName);
  if (!secret) {
    if (source.optional) return new Map();
    throw new MountError(volume.name, `secret "${source.secretName}" not found`);
  }
  const files = new Map<string, Buffer>();
  for (const [key, value] of Object.entries((secret.data ?? {}) as Record<string, string>)) files.set(key, Buffer.from(value, 'base64'));
  for (const [key, value] of Object.entries((secret.stringData ?? {}) as Record<string, string>)) files.set(key, Buffer.from(value, 'utf8'));
  return files;
}

/** Writes every volume of the pod under `root/volumes/NAME`. Throws MountError when one cannot be set up. */
export function materialiseVolumes(cluster: SimCluster, namespace: string, spec: PodSpec, root: string): Map<string, string> {
  const dirs = new Map<string, string>();
  for (const volume of spec.volumes ?? []) {
    const dir = join(root, 'volumes', volume.name);
    if (volume.configMap) writeFiles(dir, volume.name, configMapFiles(cluster, namespace, volume)!, volume.configMap.items);
    else if (volume.secret) writeFiles(dir, volume.name, secretFiles(cluster, namespace, volume), volume.secret.items);
    else mkdirSync(dir, { recursive: true });
    dirs.set(volume.name, dir);
  }
  return dirs;
}

/** Maps container paths to host paths for one container's mounts (longest mount path wins). */
export class MountTable {
  private readonly entries: { mountPath: string; hostPath: string }[];

  constructor(
    container: ContainerSpec,
    volumeDirs: ReadonlyMap<string, string>,
    private readonly rootfs: string,
    extra: readonly { mountPath: string; hostPath: string }[] = [],
  ) {
    this.entries = (container.volumeMounts ?? [])
      .filter((m) => volumeDirs.has(m.name))
      .map((m) => ({
        mountPath: posix.resolve(m.mountPath),
        hostPath: m.subPath ? join(volumeDirs.get(m.name)!, safeRelative(m.subPath, m.name)) : volumeDirs.get(m.name)!,
      }))
      .concat(extra.map((e) => ({ mountPath: posix.resolve(e.mountPath), hostPath: e.hostPath })))
      .sort((a, b) => b.mountPath.length - a.mountPath.length);
  }

  /** [containerPath, hostPath] per mount, longest container path first. */
  pairs(): [string, string][] {
    return this.entries.map((e) => [e.mountPath, e.hostPath]);
  }

  /** The host path for an absolute container path; paths outside every mount land in the pod's rootfs folder. */
  hostPath(containerPath: string): string {
    const path = posix.resolve(containerPath);
    for (const e of this.entries) {
      if (path === e.mountPath) return e.hostPath;
      if (path.startsWith(e.mountPath === '/' ? '/' : `${e.mountPath}/`)) return join(e.hostPath, path.slice(e.mountPath.length));
    }
    return join(this.rootfs, path);
  }
}
