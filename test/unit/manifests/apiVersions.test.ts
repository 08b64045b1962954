import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectOne, lint, only } from './diagnose';
import { applyEdits } from '../../../src/manifests/fixes';

const cronJob = `apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: busybox:1.36
`;

test('removed apiVersion is an error with the replacement, and the fix re-validates against the schema', () => {
  const d = expectOne(lint(cronJob, { kubernetesVersion: '1.29' }), 'api-version-removed', cronJob, 'batch/v1beta1');
  assert.match(d.message, /removed in Kubernetes 1.25 \(target 1.29\); use batch\/v1/);
  const fixed = applyEdits(cronJob, d.fixes![0].edits);
  const after = lint(fixed, { kubernetesVersion: '1.29' });
  assert.equal(only(after, 'api-version-removed').length, 0);
  assert.equal(after.filter((x) => x.ruleId.startsWith('schema-')).length, 0);
});

test('deprecated but still served is a warning; older targets are quiet', () => {
  const d = expectOne(lint(cronJob, { kubernetesVersion: '1.22' }), 'api-version-deprecated', cronJob, 'batch/v1beta1');
  assert.equal(d.severity, 'warning');
  assert.equal(lint(cronJob, { kubernetesVersion: '1.20' }).filter((x) => x.ruleId.startsWith('api-version')).length, 0);
});

test('PodSecurityPolicy has no replacement API and no fix', () => {
  const psp = 'apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: restricted\n';
  const d = expectOne(lint(psp), 'api-version-removed', psp, 'policy/v1beta1');
  assert.match(d.message, /there is no replacement API \(use Pod Security Admission/);
  assert.equal(d.fixes, undefined);
});

test('a bad --kubernetes-version explains the expected form', () => {
  assert.throws(() => lint(cronJob, { kubernetesVersion: 'latest' }), /not of the form 1.30/);
});
