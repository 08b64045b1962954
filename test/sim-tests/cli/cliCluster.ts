/**
 * The cluster under test for the CLI's tests: the sample's shop/api as the baseline in the
 * fixture's namespace, the environment a user's terminal would give `tether` (KUBECONFIG, the
 * context, a developer unique to the run so cleanup finds its sandboxes, the relay image), throwaway
 * workspace folders, and `tether` run in-process or as the built process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clusterFor, type ClusterOptions, type ClusterUnderTest, type TestHandle } from '../../cluster/clusterUnderTest';
import { cliDist, spawnTether, tetherProcess, type SpawnedTether } from '../../cli/cliDist';
import { runTether } from '../../cli/memoryIo';
import { tempFolder } from '../../tempFolder';
import { sampleApiFor } from '../preview/previewBaseline';

export interface CliCluster {
  cluster: ClusterUnderTest;
  /** The baseline namespace, holding the sample's api. */
  shop: string;
  apiPort: number;
  developer: string;
  /** What a terminal gives `tether`. */
  env: NodeJS.ProcessEnv;
  /** An image an image fork of the api can run on this cluster. */
  forkImage: string;
  /** A folder with these files (e.g. tether.yaml). */
  workspace(files?: Record<string, string>): string;
  /** `tether <args>` in this process. */
  tether(args: readonly string[], cwd?: string, env?: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }>;
  /** `tether <args>` as the built process. */
  process(args: readonly string[], cwd?: string): Promise<{ code: number | null; out: string; err: string }>;
  spawn(args: readonly string[], cwd: string): Promise<SpawnedTether>;
}

export async function cliCluster(t: TestHandle, suite: string, options: ClusterOptions = {}): Promise<CliCluster> {
  const cluster = await clusterFor(t, suite, options);
  const api = sampleApiFor(cluster);
  for (const object of api.objects) await cluster.apply(object);
  await cluster.waitForPodReady('app=api');
  const developer = cluster.developer('jane');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, KUBECONFIG: cluster.kubeconfigPath, TETHER_CONTEXT: cluster.context, TETHER_SANDBOX_DEVELOPER: developer, TETHER_RELAY_IMAGE: cluster.images.relay };
  const distDir = await cliDist();
  const scratch = tempFolder(t, 'cli');
  return {
    cluster,
    shop: cluster.namespace,
    apiPort: api.port,
    developer,
    env,
    forkImage: cluster.kind === 'real' ? cluster.images.http : 'registry.example.com/shop-api:pr',
    workspace: (files = {}) => {
      const dir = mkdtempSync(path.join(scratch, 'ws-'));
      for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
      return dir;
    },
    tether: (args, cwd = scratch, extra = {}) => runTether(args, { cwd, env: { ...env, ...extra }, distDir }),
    process: (args, cwd = scratch) => tetherProcess(args, { cwd, env }),
    spawn: (args, cwd) => spawnTether(args, { cwd, env }),
  };
}
