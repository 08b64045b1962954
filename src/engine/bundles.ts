/**
 * The program Tether runs inside the cluster, bundled by the build next to the front doors
 * (dist/relay-agent.js) and shipped in a ConfigMap. Read on first use, once per process.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface AgentBundles {
  /** The sandbox's agent: its tunnels, the shareable host's gate, the self-cleanup. */
  relayAgent(): Promise<string>;
}

/** The bundle in `distDir` (the extension's dist/, or the folder the CLI bundle runs from). */
export function bundlesIn(distDir: string): AgentBundles {
  const cache = new Map<string, Promise<string>>();
  const read = (file: string): Promise<string> => {
    let text = cache.get(file);
    if (!text) {
      const path = join(distDir, file);
      text = readFile(path, 'utf8').catch((err: unknown) => {
        cache.delete(file);
        throw new Error(`The bundle ${path} is missing; this build of Tether is incomplete. Reinstall it (or run the build).`, { cause: err });
      });
      cache.set(file, text);
    }
    return text;
  };
  return { relayAgent: () => read('relay-agent.js') };
}
