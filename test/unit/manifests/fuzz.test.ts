/**
 * Fuzz: feeds mutated Kubernetes documents (seeded, deterministic) to the engine and checks that each
 * one returns within its time budget without throwing. TETHER_FUZZ_COUNT sets how many
 * (default 100,000); TETHER_FUZZ_SEED the seed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManifestLinter } from '../../../src/manifests/validate';
import { DEFAULT_BUDGET } from '../../../src/manifests/types';
import { generateResource, prng } from '../../fixtures/manifests/corpus';

const COUNT = Number(process.env.TETHER_FUZZ_COUNT ?? 100_000);
const SEED = Number(process.env.TETHER_FUZZ_SEED ?? 20251122);
/** Each document must finish within the engine's own per-file time budget. */
const BUDGET_MS = DEFAULT_BUDGET.maxMillis;

const SEEDS = [
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: { app: web }\n  ports:\n    - port: 80\n      targetPort: http\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: gpu\nspec:\n  containers:\n    - name: t\n      image: nvcr.io/nvidia/pytorch:24.10-py3\n      resources:\n        requests: { nvidia.com/gpu: 1 }\n        limits: { nvidia.com/gpu: 2, memory: 500mi }\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  labels: &l\n    app: a\nspec:\n  selector:\n    matchLabels: *l\n  template:\n    metadata:\n      labels:\n        <<: *l\n    spec:\n      containers:\n      - name: a\n        image: nginx\n',
  'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: c, image: "busybox:1"}]\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  script: |\n    #!/bin/sh\n    echo "hi: there"\n  folded: >-\n    a\n    b\n  q: \'it\'\'s\'\n',
  'kind: List\nitems:\n- {a: [1, 2, {b: c}], "d": e}\n- ? complex\n  : key\n- !!str 0755\n',
];

const ALPHABET = ' :-[]{}&*!|>\'"#\n\t,?%@`\\0123456789abcdefxyzAZ.\u00e9\u0000';

function mutate(rand: () => number, text: string): string {
  let t = text;
  const rounds = 1 + Math.floor(rand() * 4);
  for (let r = 0; r < rounds; r++) {
    const at = Math.floor(rand() * (t.length + 1));
    const op = Math.floor(rand() * 9);
    const lines = t.split('\n');
    const li = Math.floor(rand() * lines.length);
    switch (op) {
      case 0:
        t = t.slice(0, at) + ALPHABET[Math.floor(rand() * ALPHABET.length)] + t.slice(at);
        break;
      case 1:
        t = t.slice(0, at) + t.slice(at + 1 + Math.floor(rand() * 8));
        break;
      case 2:
        lines.splice(li, 0, lines[Math.floor(rand() * lines.length)]);
        t = lines.join('\n');
        break;
      case 3:
        lines[li] = ' '.repeat(Math.floor(rand() * 6)) + lines[li].trimStart();
        t = lines.join('\n');
        break;
      case 4:
        t = t.slice(0, at);
        break;
      case 5:
        t = t.slice(0, at) + ['&a ', '*a', '<<: *a\n', '---\n', '...\n', '{', '[', '"', "'", ' # c', '|\n', '~', ': '][Math.floor(rand() * 13)] + t.slice(at);
        break;
      case 6: {
        const j = Math.floor(rand() * lines.length);
        [lines[li], lines[j]] = [lines[j], lines[li]];
        t = lines.join('\n');
        break;
      }
      case 7:
        t = t.slice(0, at) + String.fromCharCode(Math.floor(rand() * 0xffff)) + t.slice(at);
        break;
      default:
        lines[li] = lines[li].replace(/:\s.*$/, `: ${['yes', '1.5', '-1', '0x1F', '500mi', '""', '[]', '{}', 'null', '1e400'][Math.floor(rand() * 10)]}`);
        t = lines.join('\n');
    }
  }
  return t;
}

test(`fuzz: ${COUNT} mutated documents each return within ${BUDGET_MS} ms without throwing`, () => {
  const rand = prng(SEED);
  const generated = Array.from({ length: 8 }, (_, i) => generateResource(prng(SEED + i), i, 0.5));
  const linter = new ManifestLinter({ cluster: { nodes: [{ name: 'g', labels: { 'nvidia.com/gpu.product': 'A100' }, taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }], allocatable: { 'nvidia.com/gpu': '4' } }] } });
  let worst = 0;
  let worstInput = '';
  let diagnostics = 0;
  const started = performance.now();
  for (let i = 0; i < COUNT; i++) {
    const pool = rand() < 0.6 ? SEEDS : generated;
    const input = mutate(rand, pool[Math.floor(rand() * pool.length)]);
    const t = performance.now();
    let reports;
    try {
      reports = linter.lint([{ path: `fuzz-${i}.yaml`, text: input }]);
    } catch (err) {
      assert.fail(`input ${i} threw ${err instanceof Error ? err.stack : String(err)}\n--- input ---\n${input}`);
    }
    const ms = performance.now() - t;
    if (ms > worst) {
      worst = ms;
      worstInput = input;
    }
    for (const d of reports[0].diagnostics) {
      diagnostics++;
      if (!(d.start >= 0 && d.end >= d.start && d.end <= input.length)) assert.fail(`input ${i}: diagnostic outside the text: ${JSON.stringify(d)}\n${input}`);
    }
  }
  const total = performance.now() - started;
  process.stderr.write(`fuzz: ${COUNT} documents in ${(total / 1000).toFixed(1)} s, ${diagnostics} diagnostics, worst ${worst.toFixed(1)} ms\n`);
  assert.ok(worst < BUDGET_MS, `slowest input took ${worst.toFixed(1)} ms:\n${worstInput.slice(0, 500)}`);
});
