import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podRequests } from '../../../src/gpu/requests';
import { gpuResourceFilter } from '../../../src/gpu/gpuResources';
import type { ContainerShape, PodShape } from '../../../src/gpu/shapes';
import { recorded } from './fixtures/recorded';

const c = (requests?: Record<string, string>, limits?: Record<string, string>, restartPolicy?: string): ContainerShape => ({
  resources: { requests, limits },
  ...(restartPolicy ? { restartPolicy } : {}),
});
const plain = (m: Map<string, number>) => Object.fromEntries(m);

test('containers add up; a limit alone implies the request', () => {
  const spec = { containers: [c({ cpu: '250m', memory: '1Gi' }), c(undefined, { cpu: '1', 'nvidia.com/gpu': '2' })] };
  assert.deepEqual(plain(podRequests(spec)), { cpu: 1.25, memory: 2 ** 30, 'nvidia.com/gpu': 2 });
});

test('an explicit request wins over the limit', () => {
  assert.deepEqual(plain(podRequests({ containers: [c({ cpu: '100m' }, { cpu: '2' })] })), { cpu: 0.1 });
});

test('init containers count as a maximum, not a sum', () => {
  const spec = {
    initContainers: [c({ 'nvidia.com/gpu': '3', cpu: '1' }), c({ 'nvidia.com/gpu': '1', cpu: '4' })],
    containers: [c({ 'nvidia.com/gpu': '1', cpu: '500m' }), c({ 'nvidia.com/gpu': '1', cpu: '500m' })],
  };
  assert.deepEqual(plain(podRequests(spec)), { 'nvidia.com/gpu': 3, cpu: 4 });
  const small = { initContainers: [c({ 'nvidia.com/gpu': '1' })], containers: spec.containers };
  assert.equal(podRequests(small).get('nvidia.com/gpu'), 2);
});

test('sidecar init containers run beside the app and beside later init containers', () => {
  const spec = {
    initContainers: [c({ 'nvidia.com/gpu': '1' }, undefined, 'Always'), c({ 'nvidia.com/gpu': '3' })],
    containers: [c({ 'nvidia.com/gpu': '1' })],
  };
  // running: app 1 + sidecar 1 = 2; during the second init container: sidecar 1 + 3 = 4
  assert.equal(podRequests(spec).get('nvidia.com/gpu'), 4);
});

test('pod overhead is added on top', () => {
  const spec = { overhead: { cpu: '250m', memory: '120Mi' }, containers: [c({ cpu: '1', memory: '1Gi' })] };
  assert.deepEqual(plain(podRequests(spec)), { cpu: 1.25, memory: 2 ** 30 + 120 * 2 ** 20 });
});

test('a filter keeps only GPU resources, across vendors and MIG profiles', () => {
  const isGpu = gpuResourceFilter(['gpu.intel.com/i915']);
  const spec = {
    containers: [
      c({ cpu: '1', 'amd.com/gpu': '1' }),
      c(undefined, { 'nvidia.com/mig-1g.10gb': '2', 'gpu.intel.com/i915': '1', 'example.com/fpga': '1' }),
    ],
  };
  assert.deepEqual(plain(podRequests(spec, isGpu)), { 'amd.com/gpu': 1, 'nvidia.com/mig-1g.10gb': 2, 'gpu.intel.com/i915': 1 });
});

test('recorded pods: 2 and 8 GPUs, from limits defaulted into requests', () => {
  const isGpu = gpuResourceFilter();
  assert.deepEqual(plain(podRequests(recorded<PodShape>('pod-gpu-fits').spec, isGpu)), { 'nvidia.com/gpu': 2 });
  assert.deepEqual(plain(podRequests(recorded<PodShape>('pod-gpu-too-big').spec, isGpu)), { 'nvidia.com/gpu': 8 });
});

test('malformed specs count nothing rather than throw', () => {
  assert.equal(podRequests(undefined).size, 0);
  assert.equal(podRequests({ containers: 'nope' as never, initContainers: [null as never] }).size, 0);
  assert.equal(podRequests({ containers: [c({ cpu: 'lots' })] }).size, 0);
});
