// `npm run bench:activation`: the first activate() of the production bundle (module load included)
// in code-server's real extension host, next to a trivial extension bundled the same way, plus the
// minified bundle size. The kubeconfig points at a listener that counts connections, so a cluster
// call during activation shows up as clusterCalls > 0. Each first activation runs in a fresh
// code-server; the median of --runs N (default 3) is reported. Last line: one JSON object.
// Goals: activateMs <= 100, bundleKB <= 1500, clusterCalls = 0.
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from './lib/repo.mjs';
import { runScript } from './lib/teardown.mjs';
import { tempDir } from './lib/temp-dir.mjs';
import { run } from './lib/process-run.mjs';
import { runInExtensionHost } from './lib/extension-host-run.mjs';
import { startConnectionCounter } from './lib/connection-counter.mjs';

const BASELINE_SOURCE = `import * as vscode from 'vscode';
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand('tetherBenchBaseline.hello', () => undefined));
}
export function deactivate(): void {}
`;

/** Builds `dir`'s src/extension.ts with the project's own production build (esbuild.mjs). */
async function productionBuild(dir, teardown) {
  await run(process.execPath, [join(REPO_ROOT, 'esbuild.mjs'), '--production'], { cwd: dir, quiet: true, teardown });
  return join(dir, 'dist', 'extension.js');
}

/** A copy of Tether as it ships: package.json, assets, and a production bundle built from src/. */
async function stageTether(dir, teardown) {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(REPO_ROOT, 'package.json'), join(dir, 'package.json'));
  for (const name of ['src', 'node_modules', 'tsconfig.json']) symlinkSync(join(REPO_ROOT, name), join(dir, name));
  for (const name of ['media', 'schemas']) {
    if (existsSync(join(REPO_ROOT, name))) cpSync(join(REPO_ROOT, name), join(dir, name), { recursive: true });
  }
  return productionBuild(dir, teardown);
}

async function stageBaseline(dir, teardown) {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'src', 'extension.ts'), BASELINE_SOURCE);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'baseline', publisher: 'tether-bench', version: '0.0.0', engines: { vscode: '^1.100.0' },
    main: './dist/extension.js', activationEvents: [],
  }));
  return productionBuild(dir, teardown);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (path) => Math.round((statSync(path).size / 1024) * 10) / 10;

runScript(async (teardown) => {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a positive whole number');
  const dir = tempDir(teardown, 'bench-activation');
  const tether = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  const tetherId = `${tether.publisher}.${tether.name}`;
  const baselineId = 'tether-bench.baseline';
  const [tetherBundle, baselineBundle] = await Promise.all([stageTether(join(dir, 'tether'), teardown), stageBaseline(join(dir, 'baseline'), teardown)]);
  const entry = join(dir, 'bench', 'activation.js');
  await build({
    entryPoints: [join(REPO_ROOT, 'test', 'host', 'bench', 'activation.ts')], outfile: entry,
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'warning',
  });

  const counter = await startConnectionCounter(teardown);
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'current-context: bench',
    'clusters:', '- name: bench', '  cluster:', `    server: https://127.0.0.1:${counter.port}`,
    'users:', '- name: bench', '  user:', '    token: bench',
    'contexts:', '- name: bench', '  context:', '    cluster: bench', '    user: bench', '',
  ].join('\n'));
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace);

  // One fresh code-server per extension (it loads one extension under development), so both
  // first activations happen under the same conditions.
  let runNumber = 0;
  const activate = async (id, extensionPath, bundle) => {
    const run = ++runNumber;
    const resultsFile = join(dir, `${id}-${run}.json`);
    // A copy at a fresh path, so require() compiles and evaluates it from scratch.
    const moduleCopy = join(dir, `module-${run}.js`);
    copyFileSync(bundle, moduleCopy);
    const { code } = await runInExtensionHost(teardown, {
      label: `bench-${id}`,
      extensionPath,
      testsPath: entry,
      folder: workspace,
      env: { KUBECONFIG: kubeconfig, TETHER_BENCH_EXTENSIONS: JSON.stringify([id]), TETHER_BENCH_RESULTS: resultsFile, TETHER_BENCH_MODULE: moduleCopy },
    });
    if (code !== 0 || !existsSync(resultsFile)) throw new Error(`the benchmark of ${id} did not complete in the extension host (exit ${code})`);
    const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
    return { activate: results[id], moduleLoad: results.moduleLoadMs };
  };
  const samples = { [baselineId]: [], [tetherId]: [] };
  for (let i = 0; i < runs; i++) {
    samples[baselineId].push(await activate(baselineId, join(dir, 'baseline'), baselineBundle));
    samples[tetherId].push(await activate(tetherId, join(dir, 'tether'), tetherBundle));
  }
  const med = (id, field) => median(samples[id].map((s) => s[field]));
  const round = (ms) => Math.round(ms * 10) / 10;
  const result = {
    activateMs: round(med(tetherId, 'activate')),
    moduleLoadMs: round(med(tetherId, 'moduleLoad')),
    runs,
    samplesMs: samples[tetherId].map((s) => round(s.activate)),
    bundleKB: kb(tetherBundle),
    clusterCalls: counter.connections,
    baseline: { activateMs: round(med(baselineId, 'activate')), moduleLoadMs: round(med(baselineId, 'moduleLoad')), bundleKB: kb(baselineBundle) },
    goals: { activateMs: 100, bundleKB: 1500, clusterCalls: 0 },
  };
  console.log(JSON.stringify(result));
  return 0;
}, { timeoutMs: 5 * 60 * 1000 });
