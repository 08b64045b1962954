/**
 * Bundles the tunnel bench's pieces with esbuild the way esbuild.mjs bundles what ships: the
 * agent as-is, and everything that uses `ws` with `bufferutil` aliased to src/kube/wsMask.ts (the
 * extension target's alias), so the bench measures the masking code of the .vsix, not the byte
 * loop `ws` falls back to when it runs from node_modules.
 */
import path from 'node:path';
import { build } from 'esbuild';

const root = path.join(__dirname, '..');
export const shippedAliases = { bufferutil: path.join(root, 'src/kube/wsMask.ts') };

/** Bundles `entry` (relative to the repository root) into `outfile` as CommonJS for node. */
export async function bundle(entry: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    // Readable names in CPU profiles; minifying changes the size, not the speed.
    minifyWhitespace: true,
    outfile,
    alias: shippedAliases,
    logLevel: 'silent',
  });
  return outfile;
}
