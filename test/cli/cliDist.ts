/**
 * The CLI as the build ships it, in a throwaway folder laid out like dist/: tether.js (one bundle,
 * built from src/cli/main.ts as esbuild.mjs builds it) with tether-lint.js (its alias) and
 * relay-agent.js beside it. Built once per test process and removed when it exits; `spawnTether`
 * runs it as a real process.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { relayAgentScript } from '../sim-tests/agentBundles';

const repo = path.join(__dirname, '..', '..');
let dist: Promise<string> | undefined;

async function buildDist(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tether-dist-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));
  const node = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' }, logLevel: 'silent' } as const;
  await Promise.all([
    build({ ...node, entryPoints: [path.join(repo, 'src/cli/main.ts')], outfile: path.join(dir, 'tether.js'), alias: { tr46: path.join(repo, 'src/shims/tr46.ts'), bufferutil: path.join(repo, 'src/kube/wsMask.ts') } }),
    build({ ...node, entryPoints: [path.join(repo, 'src/cli/lintAlias.ts')], outfile: path.join(dir, 'tether-lint.js'), external: ['./tether.js'] }),
  ]);
  writeFileSync(path.join(dir, 'relay-agent.js'), await relayAgentScript());
  return dir;
}

/** The folder with tether.js and the in-cluster bundles. */
export function cliDist(): Promise<string> {
  dist ??= buildDist();
  return dist;
}

export interface SpawnedTether {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Resolves once stdout matches `pattern`, with the match. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
}

export async function spawnTether(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; script?: string }): Promise<SpawnedTether> {
  const dir = await cliDist();
  const child = spawn(process.execPath, [path.join(dir, options.script ?? 'tether.js'), ...args], { cwd: options.cwd, env: { ...options.env, NODE_OPTIONS: '' } });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(out);
          if (m) {
            clearTimeout(timer);
            child.stdout.off('data', check);
            resolve(m);
          }
        };
        const timer = setTimeout(() => reject(new Error(`tether ${args.join(' ')} did not print ${pattern} within ${timeoutMs} ms; stdout: ${out}; stderr: ${err}`)), timeoutMs);
        child.stdout.on('data', check);
        void exited.then(() => setTimeout(() => reject(new Error(`tether ${args.join(' ')} exited before printing ${pattern}; stdout: ${out}; stderr: ${err}`)), 50));
        check();
      }),
  };
}

/** Runs the built CLI to the end: its exit code and output. */
export async function tetherProcess(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; script?: string }): Promise<{ code: number | null; out: string; err: string }> {
  const run = await spawnTether(args, options);
  const code = await run.exited;
  return { code, out: run.stdout(), err: run.stderr() };
}
