// The pull-request workflows in docs/ci/ are real: they parse, install the tether CLI from the
// package the user names before they run it, every `tether` command they run exists with the
// options they give it, and the CI Role grants everything those commands need. Nothing tells anyone
// to run `npx tether`: that name on npm is another project's package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parseAllDocuments } from 'yaml';
import { defaultRunFactory } from '../../../src/cli/cliRunFactory';
import { parseForkFlag, parseTtlFlag } from '../../../src/cli/forkFlags';
import { buildProgram } from '../../../src/cli/main';
import type { AccessCheck, PolicyRule } from '../../../src/kube/role';
import { checkJob } from '../../../src/sandbox/checks/checks';
import { sandboxAgentBuilder } from '../../../src/sandbox/agentObjects';
import { planSandbox } from '../../../src/sandbox/plan';
import { planChecks } from '../../../src/sandbox/placement';
import { previewHostSettings } from '../../../src/sandbox/preview/previewHost';
import type { SandboxSpec } from '../../../src/sandbox/spec';
import { memoryIo } from '../../cli/memoryIo';
import { expand, shellWords, tetherCalls, workflowCommands, workflowJobs } from '../../cli/workflowCommands';

const repo = path.join(__dirname, '..', '..', '..');
const ci = path.join(repo, 'docs', 'ci');
const workflows = readdirSync(ci).filter((f) => /\.ya?ml$/.test(f) && f !== 'ci-role.yaml');

function program(): Command {
  return buildProgram({ io: memoryIo(), state: { exitCode: 0 }, newRun: defaultRunFactory });
}

/** The command `argv` names, and its options and operands as written. */
function resolve(root: Command, argv: readonly string[]): { command: Command; rest: string[] } {
  let command = root;
  let i = 0;
  while (i < argv.length && !argv[i].startsWith('-')) {
    const sub = command.commands.find((c) => c.name() === argv[i]);
    if (!sub) break;
    command = sub;
    i++;
  }
  return { command, rest: argv.slice(i) };
}

test('shell words: quotes, variables kept, operators apart', () => {
  assert.deepEqual(shellWords(`tether sandbox up --name "$SANDBOX" --fork 'api=image:$IMAGE' > up.json || echo x`), ['tether', 'sandbox', 'up', '--name', '$SANDBOX', '--fork', 'api=image:$IMAGE', '>', 'up.json', '||', 'echo', 'x']);
});

test('a tether call is tether in a command\'s place, not an argument of npx', () => {
  assert.deepEqual(tetherCalls('cd app && tether sandbox down --name x > down.json'), [['sandbox', 'down', '--name', 'x']]);
  assert.deepEqual(tetherCalls('npx -y tether sandbox down --name x'), []);
  assert.deepEqual(tetherCalls('echo tether'), []);
});

/** Running the CLI through npx (or npm exec), which fetches the unrelated `tether` package from npm. */
const npxTether = [
  /\b(?:npx|npm\s+(?:exec|x))\s+(?:(?:-y|--yes|-p\s+\S+|--package[=\s]\S+)\s+)*tether(?:-lint)?\b/,
  /"command"\s*:\s*"npx"[^}]*"tether(?:-lint)?"/,
];
const runsNpxTether = (text: string): boolean => npxTether.some((p) => p.test(text));

test('npx tether is recognised in every form it was written in, and nothing else is', () => {
  for (const line of [
    'npx tether lint k8s/ --format sarif > lint.sarif',
    'run: npx -y tether sandbox up --name "$SANDBOX"',
    '| Claude Code | `claude mcp add tether -- npx -y tether mcp` |',
    '{ "mcpServers": { "tether": { "command": "npx", "args": ["-y", "tether", "mcp"] } } }',
    `code --add-mcp '{"name":"tether","command":"npx","args":["-y","tether","mcp"]}'`,
    'npm exec --yes tether@latest -- mcp',
  ]) assert.ok(runsNpxTether(line), line);
  for (const line of [
    'npx tsx test/sim/main.ts --kubeconfig <path>',
    'claude mcp add tether -- tether mcp',
    '{ "mcpServers": { "tether": { "command": "tether", "args": ["mcp"] } } }',
    'npm install --global "$TETHER_CLI_PACKAGE"',
  ]) assert.ok(!runsNpxTether(line), line);
});

/** The text files people follow: the README, docs/ (the workflows among them), the sample, and the sources. */
function followedFiles(): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    if (statSync(p).isDirectory()) {
      for (const entry of readdirSync(p)) if (entry !== 'node_modules') walk(path.join(p, entry));
    } else if (/\.(md|ya?ml|json|[cm]?[jt]s)$/.test(p)) out.push(p);
  };
  for (const root of ['README.md', 'docs', 'sample', 'src']) walk(path.join(repo, root));
  return out;
}

test('no README, doc, workflow, sample or source runs tether through npx', () => {
  const files = followedFiles();
  assert.ok(files.some((f) => f.endsWith(path.join('docs', 'ci', 'github-actions.yml'))) && files.some((f) => f.endsWith('README.md')));
  const found = files.flatMap((file) => readFileSync(file, 'utf8').split('\n').flatMap((line, i) => (runsNpxTether(line) ? [`${path.relative(repo, file)}:${i + 1}: ${line.trim()}`] : [])));
  assert.deepEqual(found, [], 'these would run the unrelated `tether` package from npm: install the CLI (README, "Getting the tether command") and run `tether`');
});

test('every workflow job that runs tether first installs it from the package in TETHER_CLI_PACKAGE', () => {
  for (const file of workflows) {
    const jobs = workflowJobs(path.join(ci, file)).filter((j) => j.lines.some((l) => tetherCalls(l).length > 0));
    assert.ok(jobs.length >= 2, `${file}: the preview and the cleanup job`);
    for (const { job, lines } of jobs) {
      const install = lines.findIndex((l) => {
        const [npm, verb, global, spec] = shellWords(l);
        return npm === 'npm' && verb === 'install' && global === '--global' && /^\$\{?TETHER_CLI_PACKAGE\b/.test(spec ?? '');
      });
      const firstCall = lines.findIndex((l) => tetherCalls(l).length > 0);
      assert.ok(install >= 0 && install < firstCall, `${file}: job ${job} runs tether without installing it first (npm install --global "$TETHER_CLI_PACKAGE")`);
    }
  }
});

test('every workflow parses and runs up, checks, status and down; each command exists with the options it is given', () => {
  assert.deepEqual(workflows.sort(), ['github-actions.yml', 'gitlab-ci.yml']);
  const root = program();
  for (const file of workflows) {
    const docs = parseAllDocuments(readFileSync(path.join(ci, file), 'utf8'));
    assert.equal(docs.length, 1, file);
    assert.deepEqual(docs[0].errors, [], file);
    const commands = workflowCommands(path.join(ci, file));
    assert.deepEqual(commands.map((c) => c.argv.slice(0, 2).join(' ')), ['sandbox up', 'checks run', 'sandbox status', 'sandbox down'], file);
    for (const { argv } of commands) {
      const { command, rest } = resolve(root, argv);
      assert.equal(command.commands.length, 0, `${file}: "tether ${argv.join(' ')}" names a group of commands, not one`);
      const known = new Map(command.options.map((o) => [o.long, o]));
      for (let i = 0; i < rest.length; i++) {
        const word = rest[i];
        if (!word.startsWith('--')) continue;
        const [flag] = word.split('=');
        const option = known.get(flag);
        assert.ok(option, `${file}: "tether ${argv.join(' ')}": ${command.name()} has no option ${flag}`);
        if (option.required && !word.includes('=')) {
          const value = expand(rest[++i] ?? '', { SANDBOX: 'pr-1', IMAGE: 'registry.example.com/api:pr-1' });
          if (flag === '--fork') parseForkFlag(value);
          if (flag === '--ttl') parseTtlFlag(value);
          if (flag === '--name') assert.match(value, /^[a-z][-a-z0-9]*$/);
        }
      }
    }
  }
});

function rulesOf(file: string): PolicyRule[] {
  const role = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as { kind: string; rules?: PolicyRule[] }).find((d) => d.kind === 'Role');
  assert.ok(role?.rules, `${file} has a Role`);
  return role.rules;
}

function grants(rules: readonly PolicyRule[], check: AccessCheck): boolean {
  const resource = check.subresource ? `${check.resource}/${check.subresource}` : check.resource;
  return rules.some((r) => r.apiGroups.includes(check.group ?? '') && r.resources.includes(resource) && (r.verbs.includes(check.verb) || r.verbs.includes('*')) && (!r.resourceNames || (check.name !== undefined && r.resourceNames.includes(check.name))));
}

test('the CI Role grants what a pull request sandbox in a shared namespace needs: the plan with its agent and shareable host, the checks, the waits', () => {
  const rules = rulesOf(path.join(ci, 'ci-role.yaml'));
  const spec: SandboxSpec = { name: 'shop', baseline: { namespace: 'shop' }, ttlSeconds: 72 * 3600, forks: [{ workload: { kind: 'Deployment', name: 'api' }, mode: 'image', image: 'registry.example.com/api:pr-1', env: {}, ports: [] }], preview: { service: 'api', path: '/' }, checks: [] };
  const baseline = [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop', labels: { app: 'api' } }, spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'a', ports: [{ containerPort: 3000 }] }] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 3000 }] } },
  ];
  const share = previewHostSettings({ domain: 'preview.example.com' })!;
  const base = { spec, baseline: baseline as never, placement: { mode: 'shared' as const, namespace: 'shop' }, developer: 'ci', branch: 'HEAD', sandbox: 'pr-1', holderIdentity: 'ci@runner/cli', renewTime: new Date(0) };
  const withShare = planSandbox({ ...base, agent: sandboxAgentBuilder({ agentScript: '', token: 't0ken-0123456789abcdef', share: { settings: share, key: 'k'.repeat(43) } }), share: true });
  const withoutShare = planSandbox({ ...base, agent: sandboxAgentBuilder({ agentScript: '', token: 't0ken-0123456789abcdef' }) });
  const checks: AccessCheck[] = [...planChecks(withShare), ...planChecks(withoutShare)];
  const job = checkJob(withShare, { name: 'smoke', image: 'curl', command: ['true'], env: {}, timeoutSeconds: 60 }, 'r1');
  checks.push(
    ...['get', 'create', 'patch'].map((verb) => ({ verb, resource: 'jobs', group: 'batch', namespace: job.metadata.namespace })),
    { verb: 'list', resource: 'pods', namespace: 'shop' },
    { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'shop' },
    { verb: 'list', resource: 'events', namespace: 'shop' },
    { verb: 'list', resource: 'leases', group: 'coordination.k8s.io', namespace: 'shop' },
  );
  const missing = checks.filter((c) => c.namespace === 'shop' && !grants(rules, { ...c, name: undefined }));
  assert.deepEqual(missing, [], 'the CI Role lacks these');
  assert.ok(checks.some((c) => c.resource === 'ingresses'), 'the shareable host was planned');
});
