// One build for everything that ships or runs in a host:
//   dist/extension.js      the extension (node, cjs, `vscode` external)
//   dist/tether.js         the tether CLI and MCP server (node, cjs), with dist/tether-lint.js,
//                          the alias of `tether lint`, beside it
//   dist/relay-agent.js    the in-cluster agent: relay, preview gate, self-cleanup (standalone, no dependencies)
//   dist/webview/*.js      webview scripts (browser, iife)
//   out/test/host/index.js the extension-host test suite (node, cjs, `vscode` external)
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const targets = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    alias: { tr46: './src/shims/tr46.ts', bufferutil: './src/kube/wsMask.ts' },
    metafile: true,
  },
];
if (existsSync('src/cli/main.ts')) {
  targets.push({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/tether.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    alias: { tr46: './src/shims/tr46.ts', bufferutil: './src/kube/wsMask.ts' },
    banner: { js: '#!/usr/bin/env node' },
  });
  // `tether-lint …` is `tether lint …`: a few lines that run the bundle beside them.
  targets.push({
    ...common,
    entryPoints: ['src/cli/lintAlias.ts'],
    outfile: 'dist/tether-lint.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['./tether.js'],
    banner: { js: '#!/usr/bin/env node' },
  });
}
if (existsSync('src/agent/main.ts')) {
  targets.push({
    ...common,
    entryPoints: ['src/agent/main.ts'],
    outfile: 'dist/relay-agent.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    minify: true,
    sourcemap: false,
  });
}
const webviews = ['media/podDetails.ts', 'media/sandboxDashboard.ts'].filter((f) => existsSync(f));
if (webviews.length) {
  targets.push({ ...common, entryPoints: webviews, outdir: 'dist/webview', platform: 'browser', format: 'iife', target: 'es2022' });
}
if (!production && existsSync('test/host/suite/index.ts')) {
  targets.push({
    ...common,
    entryPoints: ['test/host/suite/index.ts'],
    outfile: 'out/test/host/index.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
  });
}

if (watch) {
  for (const t of targets) (await esbuild.context(t)).watch();
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
}
