/**
 * The repository stands alone: no tracked file reads a path outside it. A relative path that climbs
 * above the repository's root, a path into a machine's home or work folders, or a reference to the
 * folders the recorded API responses were first kept in would make a clean clone fail or behave
 * differently from the machine it was written on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(__dirname, '..', '..');
/** This file spells out the very paths it looks for. */
const SELF = 'test/unit/standalone.test.ts';
const CODE = /\.(ts|mts|cts|js|mjs|cjs|json|sh)$|^\.ci\/run$/;

function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  return out.split('\0').filter((f) => f && CODE.test(f) && existsSync(join(root, f)) && f !== 'package-lock.json' && f !== SELF && !f.startsWith('test/fixtures/kube-api/'));
}

interface Finding { file: string; line: number; text: string; why: string }

/** Paths that would only exist on some machine, never in a clone. */
const HOST_PATHS = /['"`](\/(work|home|root|Users|mnt|srv\/work)\/[^'"`\s]*)['"`]/g;
const SHARED = /\.\.\/shared\b|['"`]shared['"`]\s*,\s*['"`]kube-api-samples|kube-api-samples/g;
/** A quoted relative path that climbs: '../x', "../../y". */
const CLIMB_LITERAL = /['"`]((?:\.\.\/)+[^'"`\s]*|\.\.)['"`]/g;
/** join/resolve(base, '..', '..', …): the run of '..' segments. */
const CLIMB_ARGS = /\b(?:join|resolve)\(\s*[\w.]+\s*((?:,\s*['"]\.\.['"]\s*)+)/g;

export function outsideReads(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const dir = dirname(join(root, file));
  const escapes = (target: string) => {
    const rel = relative(root, target);
    return rel === '..' || rel.startsWith(`..${sep}`);
  };
  text.split('\n').forEach((lineText, i) => {
    const add = (why: string) => findings.push({ file, line: i + 1, text: lineText.trim(), why });
    for (const m of lineText.matchAll(HOST_PATHS)) add(`absolute path ${m[1]}`);
    for (const m of lineText.matchAll(SHARED)) add(`reads ${m[0]}`);
    for (const m of lineText.matchAll(CLIMB_LITERAL)) if (escapes(resolve(dir, m[1]))) add(`${m[1]} leaves the repository`);
    for (const m of lineText.matchAll(CLIMB_ARGS)) {
      const ups = m[1].split(',').filter((s) => s.trim()).length;
      if (escapes(resolve(dir, ...Array<string>(ups).fill('..')))) add(`${ups} × '..' from ${file} leaves the repository`);
    }
  });
  return findings;
}

test('no tracked file reads a path outside the repository', () => {
  const findings = trackedFiles().flatMap((file) => outsideReads(file, readFileSync(join(root, file), 'utf8')));
  assert.deepEqual(findings.map((f) => `${f.file}:${f.line} ${f.why}: ${f.text}`), []);
});

test('the check itself catches each way out', () => {
  const cases = [
    "const samples = '/work/shared/kube-api-samples';",
    "readFileSync(new URL('../../../../outside/x.json', import.meta.url))",
    "resolve(__dirname, '..', '..', '..', '..', 'elsewhere')",
    "path.resolve(root, '../shared/data')",
    "readFileSync('/home/someone/.kube/config')",
  ];
  for (const line of cases) assert.notDeepEqual(outsideReads('test/unit/kube/x.test.ts', line), [], line);
  const fine = [
    "import { x } from '../../../src/kube/api';",
    "resolve(__dirname, '..', '..', 'schemas')",
    "const mount = '/opt/app/server.js';",
  ];
  for (const line of fine) assert.deepEqual(outsideReads('test/unit/kube/x.test.ts', line), [], line);
});
