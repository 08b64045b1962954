/**
 * The in-cluster agent bundled as the build bundles it (dist/relay-agent.js): one file, Node's
 * standard library only, built once per test process.
 */
import { build } from 'esbuild';
import path from 'node:path';

const repo = path.join(__dirname, '..', '..');
const bundles = new Map<string, Promise<string>>();

function bundle(entry: string): Promise<string> {
  let text = bundles.get(entry);
  if (!text) {
    text = build({
      entryPoints: [path.join(repo, entry)],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      minify: true,
      logLevel: 'silent',
    }).then((out) => out.outputFiles[0].text);
    bundles.set(entry, text);
  }
  return text;
}

/** The relay agent (src/agent/main.ts). */
export const relayAgentScript = (): Promise<string> => bundle('src/agent/main.ts');
