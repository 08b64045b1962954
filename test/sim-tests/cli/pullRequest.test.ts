// The pull-request workflow's own command sequence (read from docs/ci/github-actions.yml) against the
// cluster under test, as the CI ServiceAccount of docs/ci/ci-role.yaml runs it (its Role, nothing
// cluster-wide, so no namespaces of its own): up with an image fork and a shareable link, the
// checks, the status JSON, down, and nothing left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kinds } from '../../../src/kube/kinds';
import type { PolicyRule } from '../../../src/kube/role';
import type { KubeObject } from '../../../src/kube/types';
import { sandboxSelector } from '../../../src/sandbox/labels';
import { cleanupKinds } from '../../../src/sandbox/lifecycle/cleanupKinds';
import { expand, workflowCommands } from '../../cli/workflowCommands';
import { withServiceAccount } from '../../cluster/serviceAccount';
import { checkCommands } from '../sandbox/checkCommands';
import { cliCluster } from './cliCluster';

const ci = path.join(__dirname, '..', '..', '..', 'docs', 'ci');
const workflow = path.join(ci, 'github-actions.yml');

/** The rules of the Role the docs give the CI ServiceAccount. */
function ciRoleRules(): PolicyRule[] {
  const docs = parseAllDocuments(readFileSync(path.join(ci, 'ci-role.yaml'), 'utf8')).map((d) => d.toJS() as { kind: string; rules?: PolicyRule[] });
  const rules = docs.find((d) => d.kind === 'Role')?.rules;
  assert.ok(rules, 'docs/ci/ci-role.yaml has a Role');
  return rules;
}

test("the pull request workflow's commands: up with an image fork, checks, status JSON, down, nothing left", async (t) => {
  const c = await cliCluster(t, 'cli-pull-request');
  const ciUser = await withServiceAccount(c.cluster, c.shop, ciRoleRules(), { name: 'tether-ci' });
  const sandbox = `pr-${c.cluster.run}`;
  const vars = { SANDBOX: sandbox, IMAGE: c.forkImage };
  const env = { KUBECONFIG: ciUser.kubeconfigPath, TETHER_CONTEXT: ciUser.context, TETHER_PREVIEW_DOMAIN: 'preview.example.com', TETHER_SANDBOX_SHARED_NAMESPACE: c.shop };
  const smoke = checkCommands(c.cluster.images.relay).smoke;
  // The repository's tether.yaml, as its developers use it: api runs on their computers.
  const workspace = c.workspace({
    'tether.yaml': `name: shop\nbaseline: { namespace: ${c.shop} }\nforks:\n  - workload: { name: api }\n    mode: local\n    ports: [{ port: ${c.apiPort}, localPort: 3000 }]\npreview: { service: api, port: 80, path: / }\nchecks:\n  - ${JSON.stringify({ name: smoke.name, image: smoke.image, command: smoke.command })}\n`,
  });
  const outputs = new Map<string, Record<string, unknown>>();
  for (const { job, argv } of workflowCommands(workflow)) {
    const args = argv.map((a) => expand(a, vars));
    const r = await c.tether(args, workspace, env);
    assert.equal(r.code, 0, `${job}: tether ${args.join(' ')}\n${r.err}`);
    outputs.set(args.slice(0, 2).join(' '), JSON.parse(r.out));
  }

  const up = outputs.get('sandbox up') as { sandbox: string; namespace: string; share: { url: string; link: string; expiresAt: string }; pods: { role: string; ready: boolean }[]; ttlSeconds: number };
  assert.equal(up.sandbox, sandbox);
  assert.equal(up.ttlSeconds, 72 * 3600);
  if (c.cluster.kind === 'simulator') assert.equal(up.namespace, c.shop, 'without namespaces of its own, the sandbox shares the baseline namespace');
  assert.equal(up.share.url, `https://${sandbox}.preview.example.com/`);
  assert.match(up.share.link, new RegExp(`^https://${sandbox}\\.preview\\.example\\.com/\\?tether_token=v1\\.${sandbox}\\.`));
  assert.ok(up.pods.some((p) => p.role === 'fork' && p.ready));
  assert.ok(up.pods.some((p) => p.role === 'agent' && p.ready), 'the agent serves the shareable host');
  const checks = outputs.get('checks run') as { passed: number; failed: number };
  assert.deepEqual([checks.passed, checks.failed], [1, 0]);
  const status = outputs.get('sandbox status') as { sandbox: string; holder?: string; forks: string[]; pods: unknown[] };
  assert.equal(status.sandbox, sandbox);
  assert.equal(status.holder, undefined, 'nothing in CI keeps running it');
  assert.deepEqual(status.forks, ['api']);
  const down = outputs.get('sandbox down') as { deleted: string[] };
  assert.ok(down.deleted.some((d) => d.startsWith('Lease/')), down.deleted.join(', '));

  // Nothing left of the sandbox; the baseline is as it was.
  const client = c.cluster.client();
  await c.cluster.until(async () => {
    for (const kind of cleanupKinds) {
      const info = Object.values(kinds).find((k) => k.kind === kind.kind);
      if (!info) continue;
      const left = await client.listAll<KubeObject>(info, up.namespace, { labelSelector: sandboxSelector(sandbox) }).then((l) => l.items.filter((o) => !o.metadata.deletionTimestamp), () => []);
      if (left.length > 0) return false;
    }
    return true;
  }, `every object of ${sandbox} to go`);
  assert.ok(await client.get<KubeObject>(kinds.Deployment, c.shop, 'api'));
  const gone = await c.tether(['sandbox', 'status', '--name', sandbox], workspace, env);
  assert.equal(gone.code, 1);
});
