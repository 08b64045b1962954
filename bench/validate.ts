/**
 * Benchmark of the manifest diagnostics engine (npm run bench:validate). Prints progress to stderr
 * and one JSON line on stdout, last: resourcesPerSec (full parse + schema + rules, single thread),
 * p95KeystrokeMs (re-validating a 1,000-line file after a one-character edit), worstCaseMs (the
 * slowest pathological input), and a baseline measured in the same run: a plain `yaml` parse of the
 * same corpus. CPU-time variants and the load average are printed too: the machine may be shared.
 */
import { loadavg } from 'node:os';
import { parseAllDocuments } from 'yaml';
import { ManifestLinter, type LintFile } from '../src/manifests/validate';
import { generateFile, pathologicalInputs, prng } from '../test/fixtures/manifests/corpus';

const RESOURCES = Number(process.env.BENCH_RESOURCES ?? 20_000);
const PER_FILE = 40;

function corpus(): LintFile[] {
  const rand = prng(42);
  const files: LintFile[] = [];
  for (let i = 0; i < RESOURCES; i += PER_FILE) files.push({ path: `deploy/app-${i / PER_FILE}.yaml`, text: generateFile(rand, i, Math.min(PER_FILE, RESOURCES - i)) });
  return files;
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/** CPU milliseconds (user + system) spent in fn: steadier than wall time on a shared machine. */
function cpu(fn: () => void): number {
  const c = process.cpuUsage();
  fn();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
}

function p95(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))];
}

const files = corpus();
const linter = new ManifestLinter();
// Warm up both paths on a slice so the JIT has seen them.
linter.lint(files.slice(0, 20));
for (const f of files.slice(0, 20)) parseAllDocuments(f.text);

let diagnostics = 0;
let resources = 0;
let lintCpuMs = 0;
const lintMs = time(() => {
  lintCpuMs = cpu(() => {
    for (const r of linter.lint(files)) {
      diagnostics += r.diagnostics.length;
      resources += r.resources;
    }
  });
});
let baselineCpuMs = 0;
const baselineMs = time(() => {
  baselineCpuMs = cpu(() => {
    for (const f of files) parseAllDocuments(f.text);
  });
});
process.stderr.write(`lint ${resources} resources in ${lintMs.toFixed(0)} ms (${diagnostics} diagnostics); yaml parse ${baselineMs.toFixed(0)} ms\n`);

// Keystrokes: a 1,000-line file, one character typed at a random place, re-validated each time.
const rand = prng(3);
let big = generateFile(rand, 0, 1);
for (let i = 1; big.split('\n').length < 1000; i++) big += '---\n' + generateFile(rand, i, 1);
const lines = big.split('\n').slice(0, 1000).join('\n') + '\n';
const keystrokes: number[] = [];
const keystrokesCpu: number[] = [];
let text = lines;
// As in the editor: each analysis reuses the previous one for the documents the edit did not touch.
let previous = linter.analyze({ path: 'edit.yaml', text });
for (let i = 0; i < 300; i++) {
  const at = Math.floor(rand() * text.length);
  text = text.slice(0, at) + (rand() < 0.5 ? 'x' : ' ') + text.slice(at);
  const t = text;
  keystrokes.push(time(() => {
    keystrokesCpu.push(cpu(() => {
      previous = linter.analyze({ path: 'edit.yaml', text: t }, previous);
      linter.report([previous]);
    }));
  }));
  if (i % 10 === 9) text = lines; // keep the file mostly valid, like a real editing session
}

const worst: Record<string, number> = {};
for (const p of pathologicalInputs()) worst[p.name] = Math.round(time(() => linter.lint([{ path: p.name, text: p.text }])));
process.stderr.write(`pathological: ${JSON.stringify(worst)}\n`);

const resourcesPerSec = Math.round(resources / (lintMs / 1000));
const baselineResourcesPerSec = Math.round(resources / (baselineMs / 1000));
console.log(JSON.stringify({
  resources,
  files: files.length,
  resourcesPerSec,
  baselineYamlParsePerSec: baselineResourcesPerSec,
  ratioVsYamlParse: Number((resourcesPerSec / baselineResourcesPerSec).toFixed(2)),
  p95KeystrokeMs: Number(p95(keystrokes).toFixed(1)),
  p95KeystrokeCpuMs: Number(p95(keystrokesCpu).toFixed(1)),
  cpuResourcesPerSec: Math.round(resources / (lintCpuMs / 1000)),
  baselineCpuResourcesPerSec: Math.round(resources / (baselineCpuMs / 1000)),
  loadAverage1m: Number(loadavg()[0].toFixed(1)),
  worstCaseMs: Math.max(...Object.values(worst)),
  worstCaseInput: Object.entries(worst).sort((a, b) => b[1] - a[1])[0][0],
  goals: { resourcesPerSec: 5000, p95KeystrokeMs: 30, worstCaseMs: 2000 },
}));
