import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { kubeConfigForContext, loadKubeconfig } from '../../../src/kube/config';
import { ExplainedError, explainedText } from '../../../src/kube/errors';
import { editorStepWords } from '../../../src/ui/stepWords';
import { tempFolder, type TempFolderOwner } from '../../tempFolder';
import { writeKubeconfig } from './local-cluster';

function tempDir(t: TempFolderOwner): string {
  return tempFolder(t, 'config');
}

const first = `
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: shared
  cluster: { server: https://first.example:6443, certificate-authority: certs/ca.crt }
users:
- name: alice
  user: { token: first-token }
- name: plugin
  user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: ./bin/auth-plugin } }
- name: plugin-on-path
  user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: gke-gcloud-auth-plugin } }
contexts:
- name: dev
  context: { cluster: shared, user: alice, namespace: shop }
`;

const second = `
apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: shared
  cluster: { server: https://second.example:6443 }
- name: prod
  cluster: { server: https://prod.example:6443 }
users:
- name: bob
  user: { token: second-token }
contexts:
- name: prod
  context: { cluster: prod, user: bob }
- name: dev
  context: { cluster: prod, user: bob }
`;

function reasonOf(fn: () => unknown): ExplainedError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ExplainedError, `expected ExplainedError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a throw');
}

test('several KUBECONFIG files merge with first-wins, like kubectl', (t) => {
  const dir = tempDir(t);
  const a = writeKubeconfig(dir, 'a.yaml', first);
  const b = writeKubeconfig(dir, 'b.yaml', second);
  const missing = path.join(dir, 'missing.yaml');
  const loaded = loadKubeconfig({ KUBECONFIG: [a, missing, b].join(path.delimiter) });
  assert.deepEqual(loaded.files, [a, b]);
  assert.equal(loaded.currentContext, 'dev');
  assert.deepEqual(
    loaded.contexts.map((c) => [c.name, c.cluster, c.user, c.namespace, c.server]),
    [
      ['dev', 'shared', 'alice', 'shop', 'https://first.example:6443'],
      ['prod', 'prod', 'bob', undefined, 'https://prod.example:6443'],
    ],
  );
  const dev = kubeConfigForContext(loaded, 'dev');
  assert.equal(dev.cluster.caFile, path.join(dir, 'certs/ca.crt'), 'relative paths resolve against their file');
  assert.equal(dev.user.token, 'first-token');
  assert.equal(dev.kubeConfig.getCurrentContext(), 'dev');
  assert.equal(kubeConfigForContext(loaded, 'prod').kubeConfig.getCurrentUser()?.token, 'second-token');
  const users = loaded.kubeConfig.getUsers();
  assert.equal(users.find((u) => u.name === 'plugin')?.exec.command, path.join(dir, 'bin/auth-plugin'), 'relative exec commands resolve too');
  assert.equal(users.find((u) => u.name === 'plugin-on-path')?.exec.command, 'gke-gcloud-auth-plugin', 'bare commands stay on PATH');
});

test('default location is ~/.kube/config', (t) => {
  const home = tempDir(t);
  writeKubeconfig(home, '.kube-placeholder', '');
  const kube = path.join(home, '.kube');
  mkdirSync(kube);
  writeKubeconfig(kube, 'config', first);
  const loaded = loadKubeconfig({ HOME: home });
  assert.deepEqual(loaded.files, [path.join(kube, 'config')]);
});

test('no kubeconfig -> NoKubeconfig with a way to get one', (t) => {
  const home = tempDir(t);
  const err = reasonOf(() => loadKubeconfig({ HOME: home }));
  assert.equal(err.reason, 'NoKubeconfig');
  assert.match(err.why, /no kubeconfig at .*\.kube.config/);
  assert.match(err.remedy, /get-credentials|kind create cluster/);
  const empty = writeKubeconfig(home, 'empty.yaml', '');
  assert.equal(reasonOf(() => loadKubeconfig({ KUBECONFIG: empty })).reason, 'NoKubeconfig');
  assert.equal(reasonOf(() => loadKubeconfig({ KUBECONFIG: path.join(home, 'nope') })).reason, 'NoKubeconfig');
});

test('malformed YAML -> InvalidKubeconfig naming the file and line', (t) => {
  const dir = tempDir(t);
  const bad = writeKubeconfig(dir, 'bad.yaml', 'apiVersion: v1\nclusters:\n- name: x\n  cluster: { server: "https://x\n');
  const err = reasonOf(() => loadKubeconfig({ KUBECONFIG: bad }));
  assert.equal(err.reason, 'InvalidKubeconfig');
  assert.ok(err.what.includes(bad));
  assert.match(err.why, /not valid YAML at line \d+, column \d+/);
  const good = writeKubeconfig(dir, 'good.yaml', first);
  const both = reasonOf(() => loadKubeconfig({ KUBECONFIG: [good, bad].join(path.delimiter) }));
  assert.ok(both.what.includes('bad.yaml'), 'the broken file is the one named');
});

test('the remedy for a broken or missing file names where it came from: the setting, KUBECONFIG or ~/.kube/config', (t) => {
  const dir = tempDir(t);
  const bad = writeKubeconfig(dir, 'bad.yaml', 'apiVersion: v1\nclusters: [\n');
  const fromSetting = reasonOf(() => loadKubeconfig({ KUBECONFIG: bad }, 'setting'));
  assert.deepEqual(fromSetting.step, { code: 'pickKubeconfig' }, 'the front door that named the file says how to name another');
  assert.match(explainedText(fromSetting, editorStepWords), /; pick an existing file with Tether: Pick Kubeconfig File, or clear the tether\.kubeconfig setting/);
  assert.doesNotMatch(fromSetting.remedy, /remove it from KUBECONFIG/, 'the file did not come from KUBECONFIG');
  assert.match(reasonOf(() => loadKubeconfig({ KUBECONFIG: bad })).remedy, /remove it from KUBECONFIG$/);
  const kube = path.join(dir, '.kube');
  mkdirSync(kube);
  writeKubeconfig(kube, 'config', 'apiVersion: v1\nclusters: [\n');
  const fromDefault = reasonOf(() => loadKubeconfig({ HOME: dir }));
  assert.match(fromDefault.remedy, /point KUBECONFIG at another kubeconfig \(this one is kubectl's default, ~\/\.kube\/config\)$/);
  const missing = reasonOf(() => loadKubeconfig({ KUBECONFIG: path.join(dir, 'nope.yaml') }, 'setting'));
  assert.equal(missing.reason, 'NoKubeconfig');
  assert.match(missing.why, /the tether\.kubeconfig setting names a file that does not exist/);
  assert.match(explainedText(missing, editorStepWords), /\. Pick an existing file with Tether: Pick Kubeconfig File/);
});

test('structurally broken kubeconfig -> InvalidKubeconfig with the field', (t) => {
  const dir = tempDir(t);
  const noServer = writeKubeconfig(dir, 'a.yaml', 'clusters:\n- name: c\n  cluster: {}\ncontexts: []\n');
  assert.match(reasonOf(() => loadKubeconfig({ KUBECONFIG: noServer })).why, /clusters\[0\]\.cluster\.server is missing/);
  const notList = writeKubeconfig(dir, 'b.yaml', 'contexts: {a: 1}\n');
  assert.match(reasonOf(() => loadKubeconfig({ KUBECONFIG: notList })).why, /"contexts" must be a list/);
  const scalar = writeKubeconfig(dir, 'c.yaml', 'just text\n');
  assert.equal(reasonOf(() => loadKubeconfig({ KUBECONFIG: scalar })).reason, 'InvalidKubeconfig');
});

test('a context pointing at a missing cluster is flagged and refused', (t) => {
  const dir = tempDir(t);
  const file = writeKubeconfig(
    dir,
    'a.yaml',
    'current-context: ghost\nclusters: []\nusers: [{name: u, user: {token: t}}]\ncontexts:\n- name: ghost\n  context: {cluster: gone, user: u}\n',
  );
  const loaded = loadKubeconfig({ KUBECONFIG: file });
  assert.equal(loaded.contexts[0].server, '');
  assert.match(loaded.contexts[0].problem ?? '', /cluster "gone"/);
  const err = reasonOf(() => kubeConfigForContext(loaded, 'ghost'));
  assert.equal(err.reason, 'InvalidKubeconfig');
  assert.match(err.why, /names cluster "gone"/);
  const unknown = reasonOf(() => kubeConfigForContext(loaded, 'nope'));
  assert.equal(unknown.reason, 'UnknownContext');
  assert.match(unknown.why, /known: ghost/);
});

test('current-context naming an unknown context is dropped', (t) => {
  const dir = tempDir(t);
  const file = writeKubeconfig(dir, 'a.yaml', first.replace('current-context: dev', 'current-context: elsewhere'));
  assert.equal(loadKubeconfig({ KUBECONFIG: file }).currentContext, undefined);
});
