// Runs the cluster-facing suites against the cluster in TETHER_TEST_KUBECONFIG (context
// TETHER_TEST_CONTEXT), or against the in-process simulator when it is unset.
//
//   npm run test:cluster                      every suite on the cluster fixture
//   npm run test:cluster -- test/sim-tests/sandbox   only files under these paths
//   npm run test:cluster -- --cleanup         remove leftovers of earlier runs (found by label)
//
// A suite is on the fixture when it, or a helper next to it that it imports, uses
// test/cluster/clusterUnderTest; those run on both kinds of cluster. Suites of the simulator itself
// are simulator-only by nature; suites still starting their own simulator run under `npm run test:sim`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const testRoot = 'test/sim-tests';
const simulatorItself = [
  { path: 'test/sim-tests/sim', why: 'they test the simulator itself (its REST, watch, faults and controllers)' },
  { path: 'test/sim-tests/runtime', why: "they test the simulator's pod runtime (process pods, its network, its port-forward)" },
];

function collect(dir) {
  const path = join(root, dir);
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return dir.endsWith('.test.ts') ? [dir] : [];
  return readdirSync(path).flatMap((name) => collect(join(dir, name)));
}

/** The test file or a helper it imports from its own folder uses the cluster fixture. */
function onFixture(file) {
  const text = readFileSync(join(root, file), 'utf8');
  if (text.includes('cluster/clusterUnderTest')) return true;
  const helpers = [...text.matchAll(/from '(\.\/[^']+)'/g)].map((m) => join(dirname(file), `${m[1]}.ts`));
  return helpers.some((h) => existsSync(join(root, h)) && readFileSync(join(root, h), 'utf8').includes('cluster/clusterUnderTest'));
}

function describeTarget(kubeconfig, context) {
  if (!kubeconfig) return 'the in-process Kubernetes API simulator (set TETHER_TEST_KUBECONFIG to use a real cluster)';
  if (!existsSync(kubeconfig)) throw new Error(`TETHER_TEST_KUBECONFIG names ${kubeconfig}, which does not exist`);
  const config = parse(readFileSync(kubeconfig, 'utf8')) ?? {};
  const name = context || config['current-context'];
  const ctx = (config.contexts ?? []).find((c) => c.name === name);
  if (!ctx) throw new Error(`${kubeconfig} has no context "${name ?? ''}"; set TETHER_TEST_CONTEXT`);
  const cluster = (config.clusters ?? []).find((c) => c.name === ctx.context?.cluster);
  return `context "${name}" (${cluster?.cluster?.server ?? 'server unknown'}) from ${kubeconfig}`;
}

function node(args, env = {}) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env, NODE_OPTIONS: '' } });
  return result.status ?? 1;
}

const args = process.argv.slice(2);
const kubeconfig = process.env.TETHER_TEST_KUBECONFIG?.trim();
const context = process.env.TETHER_TEST_CONTEXT?.trim();

if (args.includes('--cleanup')) {
  console.log(`Removing leftovers of earlier test runs from ${describeTarget(kubeconfig, context)}`);
  process.exit(node(['--import', 'tsx', 'test/cluster/cleanupMain.ts']));
}

const only = args.filter((a) => !a.startsWith('--'));
const all = collect(testRoot).sort();
const selfTests = (file) => simulatorItself.find((s) => file.startsWith(`${s.path}/`));
/** A file named, or under a folder named: `test/sim-tests/preview` is not `test/sim-tests/preview-header`. */
const selected = (f) => only.length === 0 || only.some((o) => {
  const path = o.replace(/\/$/, '');
  return f === path || f.startsWith(`${path}/`);
});
const shared = all.filter((f) => !selfTests(f) && onFixture(f) && selected(f));
const ownSimulator = all.filter((f) => !selfTests(f) && !onFixture(f));

const real = Boolean(kubeconfig);
console.log(`Cluster under test: ${describeTarget(kubeconfig, context)}`);
if (real) {
  console.log(`Relay image: ${process.env.TETHER_TEST_RELAY_IMAGE || 'node:22-alpine (default; TETHER_TEST_RELAY_IMAGE)'}`);
  console.log(`HTTP image: ${process.env.TETHER_TEST_HTTP_IMAGE || 'nginxinc/nginx-unprivileged:stable-alpine (default; TETHER_TEST_HTTP_IMAGE)'}, serving on port ${process.env.TETHER_TEST_HTTP_PORT || '8080 (default; TETHER_TEST_HTTP_PORT)'}`);
}
console.log(`\nShared suites (${shared.length} files, on the simulator and on real clusters; tests marked simulator-only report themselves skipped on a real cluster):`);
for (const f of shared) console.log(`  ${f}`);
console.log('\nSimulator-only, not run here (npm run test:sim runs them):');
for (const s of simulatorItself) console.log(`  ${s.path}/: ${s.why}`);
if (ownSimulator.length > 0) {
  console.log('\nStill starting their own simulator, so not run here (npm run test:sim runs them):');
  for (const f of ownSimulator) console.log(`  ${f}`);
}
console.log('');
if (shared.length === 0) {
  console.error(`no shared suite under ${only.join(', ') || testRoot}`);
  process.exit(1);
}
const status = node(['--import', 'tsx', '--test', '--test-reporter=spec', ...shared.map((f) => relative(root, join(root, f)))]);
if (real) console.log(`\nEvery test removes its namespaces when it ends; after an interrupted run: npm run test:cluster -- --cleanup`);
process.exit(status);
