/**
 * The shape of the house, as the import graph shows it: no import cycles anywhere in src/, and the
 * in-cluster agent (src/agent/) reaches only pure modules and Node's standard library, and the
 * CLI (with the MCP server) never reaches the editor's front door.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const SPECIFIER = /(?:\bfrom\s+|^\s*import\s+|\bimport\(\s*)['"]([^'"\n]+)['"]/gm;

interface Imports { local: string[]; packages: string[] }

function importsOf(file: string): Imports {
  const local: string[] = [];
  const packages: string[] = [];
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
    if (!spec.startsWith('.')) {
      packages.push(spec);
      continue;
    }
    const base = resolve(dirname(file), spec);
    const found = [base, `${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p) && statSync(p).isFile());
    if (found) local.push(found);
  }
  return { local, packages };
}

const graph = new Map(sourceFiles(src).map((file) => [file, importsOf(file)]));
const rel = (file: string) => relative(root, file);

/** Strongly connected components with more than one file (Tarjan). */
function cycles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.local ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(rel(w));
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

test('src/ has no import cycles', () => {
  assert.deepEqual(cycles(), []);
});

/** Every file `from` reaches; `check` is told each file's imports and returns what is wrong with them. */
function reached(from: readonly string[], check: (file: string, imports: Imports) => string[]): { seen: Set<string>; problems: string[] } {
  const seen = new Set<string>();
  const problems: string[] = [];
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const imports = graph.get(file);
    if (!imports) return;
    problems.push(...check(file, imports));
    for (const dep of imports.local) walk(dep);
  };
  for (const file of from) walk(file);
  return { seen, problems };
}

const frontDoor = (file: string) => /^src\/ui\//.test(rel(file)) || rel(file) === 'src/extension.ts';

test('the in-cluster agent reaches only pure modules and Node\'s standard library', () => {
  const { seen, problems } = reached(sourceFiles(join(src, 'agent')), (file, imports) => [
    ...imports.packages.filter((pkg) => !pkg.startsWith('node:')).map((pkg) => `${rel(file)} imports ${pkg}`),
    ...imports.local.filter((dep) => frontDoor(dep) || /^src\/cli\//.test(rel(dep))).map((dep) => `${rel(file)} imports ${rel(dep)}`),
  ]);
  assert.deepEqual(problems, []);
  assert.ok(seen.size > 5, 'the walk reached the agent\'s modules');
});

test('the CLI and the MCP server reach the engine, never the editor: no src/ui/, no vscode', () => {
  const { seen, problems } = reached([join(src, 'cli', 'main.ts')], (file, imports) => [
    ...(imports.packages.includes('vscode') ? [`${rel(file)} imports vscode`] : []),
    ...imports.local.filter(frontDoor).map((dep) => `${rel(file)} imports ${rel(dep)}`),
  ]);
  assert.deepEqual(problems, []);
  assert.ok([...seen].some((f) => rel(f).startsWith('src/engine/')) && [...seen].some((f) => rel(f).startsWith('src/cli/mcp/')), 'the walk reached the engine and the MCP server');
});
