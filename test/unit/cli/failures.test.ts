// How the CLI ends: the exit code of every kind of failure (3 only when the cluster cannot be
// reached or refuses, not when Tether itself declines), the JSON --json prints, and next steps in
// the CLI's words (its commands, flags and TETHER_* variables, never the editor's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommanderError } from 'commander';
import { cliStepWords, exitCode, exitCodeOf, failureJson, failureText, UsageError } from '../../../src/cli/failures';
import { ExplainedError, type Explanation } from '../../../src/kube/errors';
import type { NextStep } from '../../../src/kube/nextStep';
import { MissingPathError } from '../../../src/manifests/yamlFiles';
import { accessAdvice, grantStep } from '../../../src/kube/permissions/remedy';
import { parseAllDocuments } from 'yaml';

const explained = (e: Partial<Explanation>) => new ExplainedError({ reason: 'Unknown', what: 'Do it', why: 'because', remedy: '', ...e });

test('exit codes: 3 for a cluster that cannot be reached, read or that refuses; 2 for usage; 1 for what failed; 130 when stopped', () => {
  const cases: [unknown, number][] = [
    [explained({ reason: 'NoKubeconfig' }), exitCode.cluster],
    [explained({ reason: 'InvalidKubeconfig' }), exitCode.cluster],
    [explained({ reason: 'UnknownContext' }), exitCode.cluster],
    [explained({ reason: 'CredentialsExpired' }), exitCode.cluster],
    [explained({ reason: 'ExecPluginMissing' }), exitCode.cluster],
    [explained({ reason: 'Unreachable', server: 'https://10.0.0.1:6443' }), exitCode.cluster],
    [explained({ reason: 'Timeout', server: 'https://10.0.0.1:6443' }), exitCode.cluster],
    [explained({ reason: 'Forbidden', status: 403, server: 'https://10.0.0.1:6443' }), exitCode.cluster],
    // Tether declining (someone else's sandbox, a pod that is not the sandbox's) is no refusal of the cluster's.
    [explained({ reason: 'Forbidden', what: 'Delete sandbox "joe-main"', why: 'it belongs to joe' }), exitCode.failed],
    // The preview's local process not answering is not the cluster.
    [explained({ reason: 'Unreachable', why: 'nothing listens on 127.0.0.1:3000' }), exitCode.failed],
    [explained({ reason: 'NotFound' }), exitCode.failed],
    [explained({ reason: 'Conflict', step: { code: 'takeOver', sandbox: 's', holder: 'jane on laptop (VS Code)' } }), exitCode.failed],
    [explained({ reason: 'Invalid', step: { code: 'fixSpec', file: 'tether.yaml' } }), exitCode.usage],
    [explained({ reason: 'NotFound', step: { code: 'createSpec' } }), exitCode.usage],
    [new UsageError('--ttl "forever"'), exitCode.usage],
    [new MissingPathError('k8s/'), exitCode.usage],
    [new CommanderError(1, 'commander.unknownOption', "unknown option '--bogus'"), exitCode.usage],
    [new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), exitCode.ok],
    [Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }), exitCode.interrupted],
    [explained({ reason: 'Cancelled' }), exitCode.interrupted],
    [new Error('something else'), exitCode.failed],
  ];
  for (const [err, code] of cases) assert.equal(exitCodeOf(err), code, err instanceof Error ? `${err.name}: ${err.message}` : String(err));
});

test('--json failures: what, why, the next step worded for the CLI and as data, and the exit code', () => {
  const err = explained({ reason: 'Conflict', what: 'Run sandbox "pr-1" here', why: 'jane on laptop (VS Code) runs it', step: { code: 'takeOver', sandbox: 'pr-1', holder: 'jane on laptop (VS Code)' } });
  assert.deepEqual(failureJson(err), {
    error: { reason: 'Conflict', what: 'Run sandbox "pr-1" here', why: 'jane on laptop (VS Code) runs it', next: 'Stop it where jane on laptop (VS Code) runs it, or run this again with --take-over', step: { code: 'takeOver', sandbox: 'pr-1', holder: 'jane on laptop (VS Code)' } },
    exitCode: 1,
  });
  assert.deepEqual(failureJson(new UsageError('--name: not a DNS-1123 label')), { error: { reason: 'Usage', why: '--name: not a DNS-1123 label' }, exitCode: 2 });
  assert.equal(failureText(err), 'tether: Run sandbox "pr-1" here failed: jane on laptop (VS Code) runs it. Stop it where jane on laptop (VS Code) runs it, or run this again with --take-over');
});

test("every next step in the CLI's words: commands, flags and TETHER_* variables, no editor commands or settings", () => {
  const steps: NextStep[] = [
    { code: 'preview' },
    { code: 'showLogs' },
    { code: 'deleteSandbox', sandbox: 'pr-1' },
    { code: 'fixSpec', file: 'tether.yaml' },
    { code: 'createSpec' },
    { code: 'changeSetting', setting: 'preview.domain' },
    { code: 'changeSetting', setting: 'preview.scheme', value: 'http' },
    { code: 'changeSetting', setting: 'preview.gateway', value: '' },
    { code: 'takeOver', sandbox: 'pr-1', holder: 'jane on laptop (VS Code)' },
    { code: 'selectContext' },
    { code: 'pickKubeconfig' },
    { code: 'installOnPath', command: 'gke-gcloud-auth-plugin' },
  ];
  const said = steps.map(cliStepWords);
  for (const words of said) {
    assert.ok(words.length > 0);
    assert.doesNotMatch(words, /Tether: |palette|Problems|tether\.(preview|sandbox|relay|kubeconfig)\b|in VS Code/, words);
  }
  assert.equal(cliStepWords({ code: 'deleteSandbox', sandbox: 'pr-1' }), 'run `tether sandbox down --name pr-1`');
  assert.equal(cliStepWords({ code: 'changeSetting', setting: 'preview.domain' }), 'set TETHER_PREVIEW_DOMAIN');
  assert.equal(cliStepWords({ code: 'changeSetting', setting: 'preview.scheme', value: 'http' }), 'set TETHER_PREVIEW_SCHEME=http');
  assert.equal(cliStepWords({ code: 'changeSetting', setting: 'preview.gateway', value: '' }), 'unset TETHER_PREVIEW_GATEWAY');
  assert.match(cliStepWords({ code: 'selectContext' }), /--context/);
  assert.match(cliStepWords({ code: 'pickKubeconfig' }), /--kubeconfig/);
});

test('a refusal carrying its Roles prints their YAML after the failure, bound to who was refused, and --json gives them as data', () => {
  const missing = [{ verb: 'create', resource: 'jobs', group: 'batch', namespace: 'shop' }];
  const access = accessAdvice('checks', missing, [], 'system:serviceaccount:shop:tether-ci');
  const err = explained({ reason: 'Forbidden', status: 403, what: 'Run the checks of sandbox "pr-1"', why: 'you may not create jobs.batch in namespace "shop"', remedy: 'Ask a cluster admin to apply Role "tether-checks-shop"', step: grantStep(access), access });
  const text = failureText(err);
  assert.match(text, /^tether: Run the checks of sandbox "pr-1" failed: .*; its YAML follows \(with --json: error\.access\.yaml\)/);
  const yaml = text.slice(text.indexOf('\n') + 1);
  const docs = parseAllDocuments(yaml).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string }; subjects?: unknown[] });
  assert.deepEqual(docs.map((d) => `${d.kind}/${d.metadata.name}`), ['Role/tether-checks-shop', 'RoleBinding/tether-checks-shop']);
  assert.deepEqual(docs[1].subjects, [{ kind: 'ServiceAccount', name: 'tether-ci', namespace: 'shop' }]);
  const json = failureJson(err) as { error: { access: { roles: unknown[]; yaml: string; missing: string[] }; step: NextStep }; exitCode: number };
  assert.equal(json.exitCode, exitCode.cluster);
  assert.deepEqual(json.error.access.roles, [{ kind: 'Role', name: 'tether-checks-shop', namespace: 'shop' }]);
  assert.equal(json.error.access.yaml, yaml);
  assert.deepEqual(json.error.step, { code: 'grantRoles', roles: ['Role "tether-checks-shop"'] });
});
