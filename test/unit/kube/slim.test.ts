import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lastAppliedAnnotation, slim } from '../../../src/kube/slim';
import type { KubeObject } from '../../../src/kube/types';
import { kubeApiJson } from '../../fixtures/kubeApi';

test('drops managedFields and the last-applied annotation, keeps everything else', () => {
  const pod = kubeApiJson('201-server-side-apply.json') as KubeObject;
  pod.metadata.annotations = { [lastAppliedAnnotation]: '{"big":true}', keep: 'me' };
  assert.ok((pod.metadata as { managedFields?: unknown }).managedFields, 'fixture has managedFields');
  const before = JSON.stringify(pod).length;
  const out = slim(pod);
  assert.equal((out.metadata as { managedFields?: unknown }).managedFields, undefined);
  assert.deepEqual(out.metadata.annotations, { keep: 'me' });
  assert.equal(out.metadata.name, pod.metadata.name);
  assert.deepEqual(out.status, pod.status);
  assert.ok(JSON.stringify(out).length < before);
});

test('objects without either are returned as they are', () => {
  const obj: KubeObject = { metadata: { name: 'a', uid: '1', resourceVersion: '1', annotations: { x: 'y' } } };
  assert.equal(slim(obj), obj);
  assert.deepEqual(obj.metadata.annotations, { x: 'y' });
});
