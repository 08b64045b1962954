/**
 * Which extended resources count as GPUs, and what a node's labels say about its GPU model.
 */
import type { ResourceFilter } from './requests';

const builtIn = new Set(['nvidia.com/gpu', 'amd.com/gpu']);
const migPrefix = 'nvidia.com/mig-';

/**
 * A predicate for GPU resource names: `nvidia.com/gpu`, `amd.com/gpu`, every MIG profile
 * (`nvidia.com/mig-1g.10gb`, …) and any extra names, e.g. from the `tether.gpu.extraResources`
 * setting (`gpu.intel.com/i915`, `habana.ai/gaudi`).
 */
export function gpuResourceFilter(extra: Iterable<string> = []): ResourceFilter {
  const names = new Set(builtIn);
  for (const name of extra) if (name.trim()) names.add(name.trim());
  return (resource) => names.has(resource) || resource.startsWith(migPrefix);
}

/** True for a MIG profile such as `nvidia.com/mig-3g.20gb`. */
export function isMigProfile(resource: string): boolean {
  return resource.startsWith(migPrefix);
}

/**
 * Node labels that name the GPU model, most specific first: NVIDIA GPU feature discovery,
 * its MIG variant, AMD's device plugin labeller, then the cloud providers' accelerator labels.
 */
const modelLabels = [
  'nvidia.com/gpu.product',
  'nvidia.com/mig.product',
  'amd.com/gpu.product-name',
  'amd.com/gpu.device-id',
  'cloud.google.com/gke-accelerator',
  'k8s.amazonaws.com/accelerator',
  'accelerator',
];

/** The GPU model a node's labels announce, e.g. "NVIDIA-A100-SXM4-80GB", or undefined. */
export function gpuModel(labels: Readonly<Record<string, string>> | undefined): string | undefined {
  if (!labels) return undefined;
  for (const key of modelLabels) {
    const value = labels[key];
    if (value) return value;
  }
  return undefined;
}

/** The quota key that limits a GPU resource in a namespace: `requests.nvidia.com/gpu`. */
export function quotaKeyFor(resource: string): string {
  return `requests.${resource}`;
}

/**
 * The GPU resource a quota key limits, or undefined when the key is not about GPUs. Extended
 * resources cannot be overcommitted, so quotas limit them only through `requests.<name>`.
 */
export function resourceOfQuotaKey(key: string, isGpu: ResourceFilter): string | undefined {
  if (!key.startsWith('requests.')) return undefined;
  const resource = key.slice('requests.'.length);
  return isGpu(resource) ? resource : undefined;
}
