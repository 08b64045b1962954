import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podGpus, isGpuResource } from '../../../src/gpu/podGpus';
import { sample } from '../ui/fixtures/samples';

const res = (requests?: Record<string, string>, limits?: Record<string, string>) => ({
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
});

test('recorded pod asking for 8 GPUs counts 8', () => {
  assert.deepEqual(podGpus(sample('pod-gpu-too-big')), { total: 8, byResource: { 'nvidia.com/gpu': 8 } });
});

test('recorded pods without GPUs count 0', () => {
  assert.deepEqual(podGpus(sample('pod-oom')), { total: 0, byResource: {} });
  assert.deepEqual(podGpus({}), { total: 0, byResource: {} });
});

test('recorded running GPU pod counts its GPUs', () => {
  assert.ok(podGpus(sample('pod-gpu-fits')).total > 0);
});

test('a limit alone implies the request', () => {
  assert.equal(podGpus({ spec: { containers: [res(undefined, { 'nvidia.com/gpu': '2' })] } }).total, 2);
});

test('an explicit request wins over the limit', () => {
  assert.equal(podGpus({ spec: { containers: [res({ 'amd.com/gpu': '1' }, { 'amd.com/gpu': '1' })] } }).total, 1);
});

test('containers add up, init containers count as a maximum', () => {
  const pod = {
    spec: {
      initContainers: [res({ 'nvidia.com/gpu': '3' }), res({ 'nvidia.com/gpu': '1' })],
      containers: [res({ 'nvidia.com/gpu': '1' }), res(undefined, { 'nvidia.com/gpu': '1' })],
    },
  };
  assert.deepEqual(podGpus(pod), { total: 3, byResource: { 'nvidia.com/gpu': 3 } });
  const small = { spec: { initContainers: [res({ 'nvidia.com/gpu': '1' })], containers: pod.spec.containers } };
  assert.equal(podGpus(small).total, 2);
});

test('sidecar init containers add to the running total', () => {
  const pod = {
    spec: {
      initContainers: [{ ...res({ 'nvidia.com/gpu': '1' }), restartPolicy: 'Always' }, res({ 'nvidia.com/gpu': '2' })],
      containers: [res({ 'nvidia.com/gpu': '1' })],
    },
  };
  // running: 1 + sidecar 1 = 2; second init runs beside the sidecar: 1 + 2 = 3
  assert.equal(podGpus(pod).total, 3);
});

test('MIG profiles and vendors are counted per resource', () => {
  const pod = {
    spec: {
      containers: [
        res({ 'nvidia.com/mig-1g.10gb': '2', cpu: '500m', memory: '1Gi' }),
        res({ 'amd.com/gpu': '1', 'example.com/fpga': '4' }),
      ],
    },
  };
  assert.deepEqual(podGpus(pod), { total: 3, byResource: { 'nvidia.com/mig-1g.10gb': 2, 'amd.com/gpu': 1 } });
});

test('resource names', () => {
  assert.ok(isGpuResource('nvidia.com/gpu'));
  assert.ok(isGpuResource('nvidia.com/mig-3g.40gb'));
  assert.ok(!isGpuResource('nvidia.com/gpu.shared-not-really'));
  assert.ok(!isGpuResource('cpu'));
});

test('garbage quantities are ignored', () => {
  assert.equal(podGpus({ spec: { containers: [res({ 'nvidia.com/gpu': 'lots' })], initContainers: 'x' } }).total, 0);
});
