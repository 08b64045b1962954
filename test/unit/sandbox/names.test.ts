import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boundedName, requestedSandbox, sandboxLeaseName, sandboxName, sandboxNameProblem, slug } from '../../../src/sandbox/names';

const label = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

test('sandbox names come from developer and branch as DNS-1123 labels', () => {
  assert.equal(sandboxName('Jane Doe', 'feature/Login_Page'), 'jane-doe-feature-login-page');
  assert.equal(sandboxName('jane', 'refs/heads/main'), 'jane-main');
  assert.equal(sandboxName('42', 'x'), 't-42-x');
  assert.equal(slug('--Ünï--côde--'), 'uni-code');
});

test('long names are cut with a stable hash, never colliding', () => {
  const a = sandboxName('jane', 'feature/' + 'a'.repeat(80) + '-one');
  const b = sandboxName('jane', 'feature/' + 'a'.repeat(80) + '-two');
  assert.equal(a.length, 63);
  assert.match(a, label);
  assert.notEqual(a, b);
  assert.equal(a, sandboxName('jane', 'feature/' + 'a'.repeat(80) + '-one'));
  assert.match(boundedName(['x'.repeat(70), '-']), label);
  assert.equal(boundedName(['a', 'b'], 10), 'a-b');
});

test('a sandbox asked for by name keeps it; names that cannot be a namespace are refused', () => {
  assert.equal(requestedSandbox({ developer: 'jane', branch: 'main' }), 'jane-main');
  assert.equal(requestedSandbox({ sandbox: 'pr-42', developer: 'ci', branch: 'HEAD' }), 'pr-42');
  assert.equal(sandboxNameProblem('pr-42'), undefined);
  assert.match(sandboxNameProblem('PR_42') ?? '', /not a DNS-1123 label/);
  assert.match(sandboxNameProblem('42') ?? '', /starting with a letter/);
  assert.match(sandboxNameProblem('a'.repeat(41)) ?? '', /longer than 40/);
  assert.equal(sandboxLeaseName('pr-42', true), 'tether-sandbox');
  assert.equal(sandboxLeaseName('pr-42', false), 'pr-42-tether-sandbox');
});
