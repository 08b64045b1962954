import { ManifestLinter } from '../../../src/manifests/validate';
import { generateFile, prng } from '../../fixtures/manifests/corpus';
const linter = new ManifestLinter();
const rand = prng(3);
let big = generateFile(rand, 0, 1);
for (let i = 1; big.split('\n').length < 1000; i++) big += '---\n' + generateFile(rand, i, 1);
const lines = big.split('\n').slice(0, 1000).join('\n') + '\n';
let text = lines;
const times: [number, string][] = [];
for (let i = 0; i < 300; i++) {
  const at = Math.floor(rand() * text.length);
  const ch = rand() < 0.5 ? 'x' : ' ';
  text = text.slice(0, at) + ch + text.slice(at);
  const t = performance.now();
  const a = linter.analyze({ path: 'e.yaml', text });
  const t2 = performance.now();
  linter.report([a]);
  const t3 = performance.now();
  times.push([t3 - t, `${(t2 - t).toFixed(1)} ${(t3 - t2).toFixed(1)} ${JSON.stringify(text.slice(at - 10, at + 10))}`]);
  if (i % 10 === 9) text = lines;
}
times.sort((a, b) => b[0] - a[0]);
console.log(times.slice(0, 12).map((x) => x[0].toFixed(1) + ' ' + x[1]).join('\n'));
console.log('median', times[150][0].toFixed(1), 'p95', times[15][0].toFixed(1));
