/**
 * The cluster a cluster-facing test runs against: a real one named by TETHER_TEST_KUBECONFIG (and
 * TETHER_TEST_CONTEXT), or else the in-process simulator with the process runtime. Either way the
 * test gets a throwaway namespace labelled as Tether's own, clients, waits with timeouts that suit
 * the cluster, and one `dispose()` that removes everything the fixture and the test made; it also
 * runs on SIGINT/SIGTERM, and a process that exits without it removes the run's namespaces on its way out.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { KubeClient } from '../../src/kube/api';
import { loadKubeconfig } from '../../src/kube/config';
import { kinds, resourcePath } from '../../src/kube/kinds';
import type { KubeObject } from '../../src/kube/types';
import type { ProcessPodRuntime } from '../sim/runtime/index';
import type { ObjectInput } from '../sim/defaults';
import type { Simulator } from '../sim/server';
import { removeTestObjects, type CleanupReport } from './cleanup';
import { listGpuNodes } from './gpu';
import { clusterSettings, type TestImages } from './settings';
import { startTestSimulator, type SimulatorChoices } from './simulatorCluster';
import { isTetherOwned, ownerLabel } from '../../src/sandbox/labels';
import { newRunId, runOfOwner, testDeveloper, testNamespaceLabels, testNamespaceName } from './testLabels';
import { realClusterTimeouts, simulatorTimeouts, until, waitForPodReady, type Timeouts } from './waiting';

/** What node:test's TestContext offers that the fixture uses. */
export interface TestHandle {
  skip(message?: string): void;
  after(fn: () => unknown): void;
}

export type ClusterKind = 'simulator' | 'real';

export type ClusterOptions = SimulatorChoices;

export interface ClusterUnderTest {
  readonly kind: ClusterKind;
  readonly kubeconfigPath: string;
  readonly context: string;
  /** The suite's throwaway namespace, `tether-test-<suite>-<random>`. */
  readonly namespace: string;
  /** Every namespace the fixture created (the suite's first). */
  readonly createdNamespaces: readonly string[];
  /** Labels the fixture's namespaces with `tether.dev/test-run`. */
  readonly run: string;
  readonly images: TestImages;
  readonly timeouts: Timeouts;
  /** An admin client of the cluster under test, closed by `dispose()`. */
  client(): KubeClient;
  /** Runs `fn` when the fixture is disposed, before its namespaces are removed (last registered, first run). */
  defer(fn: () => unknown): void;
  /** The simulator, for simulator-only powers; throws on a real cluster (call `simulatorOnly` first). */
  sim(): Simulator;
  /** The simulator's process runtime; throws on a real cluster. */
  podRuntime(): ProcessPodRuntime;
  /** A developer name unique to this fixture, so sandboxes of parallel runs never meet: `jane-test<run>`; cleanup finds its sandboxes by it. */
  developer(name: string): string;
  /** Another labelled throwaway namespace, removed by `dispose()`. */
  createNamespace(purpose: string): Promise<string>;
  /** Server-side apply (field manager "tether-test") into one of the fixture's namespaces, or a namespace of one of this run's sandboxes. */
  apply(object: ObjectInput): Promise<KubeObject>;
  /** A Ready pod matching `selector`; fails early when it cannot get ready (image pull, crash loop). */
  waitForPodReady(selector: string, namespace?: string): Promise<KubeObject>;
  until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  /** Skips the test on a real cluster, saying why; true when skipped. */
  simulatorOnly(t: TestHandle, why: string): boolean;
  gpuNodes(): Promise<KubeObject[]>;
  /** Skips the test when no node advertises a GPU resource; true when skipped. */
  requireGpu(t: TestHandle): Promise<boolean>;
  /** Removes everything the fixture made (only labelled objects) and closes clients and the simulator. */
  dispose(): Promise<CleanupReport>;
}

/** Skips `t` on a real cluster before anything is created; true when skipped. */
export function simulatorOnly(t: TestHandle, why: string): boolean {
  if (!clusterSettings().kubeconfig) return false;
  t.skip(`simulator only: ${why}`);
  return true;
}

interface Target {
  kind: ClusterKind;
  kubeconfigPath: string;
  context: string;
  simulator?: { sim: Simulator; runtime: ProcessPodRuntime };
}

async function target(options: ClusterOptions): Promise<Target> {
  const settings = clusterSettings();
  if (!settings.kubeconfig) {
    const simulator = await startTestSimulator(options);
    return { kind: 'simulator', kubeconfigPath: simulator.sim.kubeconfigPath, context: simulator.sim.context, simulator };
  }
  const config = loadKubeconfig({ KUBECONFIG: settings.kubeconfig });
  const context = settings.context ?? config.currentContext;
  if (!context) throw new Error(`${settings.kubeconfig} has no current context: set TETHER_TEST_CONTEXT`);
  if (!config.contexts.some((c) => c.name === context)) throw new Error(`${settings.kubeconfig} has no context "${context}"`);
  return { kind: 'real', kubeconfigPath: settings.kubeconfig, context };
}

/** Removes the run's namespaces from a process that is exiting without `dispose()` (synchronously). */
function cleanupOnExit(kubeconfig: string, context: string, run: string): void {
  spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'cleanupMain.ts'), '--run', run, '--quiet'], {
    stdio: 'inherit',
    env: { ...process.env, TETHER_TEST_KUBECONFIG: kubeconfig, TETHER_TEST_CONTEXT: context, NODE_OPTIONS: '' },
    timeout: 60_000,
  });
}

export async function clusterUnderTest(suite: string, options: ClusterOptions = {}): Promise<ClusterUnderTest> {
  const settings = clusterSettings();
  const where = await target(options);
  const run = newRunId();
  const timeouts = where.kind === 'real' ? realClusterTimeouts : simulatorTimeouts;
  const config = loadKubeconfig({ KUBECONFIG: where.kubeconfigPath });
  const created: string[] = [];
  let disposing: Promise<CleanupReport> | undefined;

  const requireSimulator = () => {
    if (!where.simulator) throw new Error(`${suite}: a simulator-only power was used on a real cluster; call simulatorOnly(t, why) at the start of the test`);
    return where.simulator;
  };
  let admin: KubeClient | undefined;
  const client = (): KubeClient => (admin ??= KubeClient.forContext(config, where.context));
  const deferred: (() => unknown)[] = [];
  /** The fixture's namespaces, and those Tether made for sandboxes of this run's developers. */
  const writable = async (namespace: string): Promise<boolean> => {
    if (created.includes(namespace)) return true;
    const ns = await client().get<KubeObject>(kinds.Namespace, undefined, namespace).catch(() => undefined);
    return ns !== undefined && isTetherOwned(ns) && runOfOwner(ns.metadata.labels?.[ownerLabel]) === run;
  };
  const createNamespace = async (purpose: string): Promise<string> => {
    const name = testNamespaceName(purpose);
    await client().request({
      what: `Create namespace ${name}`,
      method: 'POST',
      path: resourcePath(kinds.Namespace),
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: testNamespaceLabels(name, suite, run) } },
    });
    created.push(name);
    return name;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    void dispose().finally(() => {
      process.stderr.write(`${suite}: ${signal}, test objects removed\n`);
      if (process.listenerCount(signal) === 0) process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    });
  };
  const onExit = () => {
    if (where.kind === 'real' && !disposing && created.length > 0) cleanupOnExit(where.kubeconfigPath, where.context, run);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  for (const s of signals) process.on(s, onSignal);
  process.on('exit', onExit);

  const dispose = (): Promise<CleanupReport> => {
    disposing ??= (async () => {
      try {
        for (const fn of deferred.splice(0).reverse()) {
          try {
            await fn();
          } catch (err) {
            process.stderr.write(`${suite}: cleanup step failed: ${(err as Error).message}\n`);
          }
        }
        return await removeTestObjects(client(), { run });
      } finally {
        admin?.dispose();
        await where.simulator?.sim.stop();
        for (const s of signals) process.off(s, onSignal);
        process.off('exit', onExit);
      }
    })();
    return disposing;
  };

  try {
    await createNamespace(suite);
  } catch (err) {
    await dispose();
    throw err;
  }

  return {
    kind: where.kind,
    kubeconfigPath: where.kubeconfigPath,
    context: where.context,
    namespace: created[0],
    createdNamespaces: created,
    run,
    images: settings.images,
    timeouts,
    client,
    defer: (fn) => void deferred.push(fn),
    sim: () => requireSimulator().sim,
    podRuntime: () => requireSimulator().runtime,
    developer: (name) => testDeveloper(name, run),
    createNamespace,
    apply: async (object) => {
      const namespace = object.metadata.namespace;
      if (!namespace || !(await writable(namespace))) throw new Error(`${object.kind} ${object.metadata.name}: the fixture only writes into its own namespaces (${created.join(', ')}) and those of this run's sandboxes`);
      const kind = Object.values(kinds).find((k) => k.kind === object.kind);
      if (!kind) throw new Error(`unknown kind ${object.kind}`);
      return client().request<KubeObject>({
        what: `Apply ${object.kind} ${namespace}/${object.metadata.name}`,
        method: 'PATCH',
        path: resourcePath(kind, namespace, object.metadata.name),
        query: { fieldManager: 'tether-test', force: true },
        contentType: 'application/apply-patch+yaml',
        body: object,
      });
    },
    waitForPodReady: (selector, namespace = created[0]) => waitForPodReady(client(), namespace, selector, timeouts.podReadyMs),
    until: (probe, what, timeoutMs = timeouts.settleMs) => until(probe, what, timeoutMs),
    simulatorOnly: (t, why) => {
      if (where.kind === 'simulator') return false;
      t.skip(`simulator only: ${why}`);
      return true;
    },
    gpuNodes: () => listGpuNodes(client()),
    requireGpu: async (t) => {
      const nodes = await listGpuNodes(client());
      if (nodes.length > 0) return false;
      t.skip(`no node of context ${where.context} advertises a GPU resource (nvidia.com/gpu, amd.com/gpu, nvidia.com/mig-*)`);
      return true;
    },
    dispose,
  };
}

/** `clusterUnderTest` whose `dispose()` runs after the test (or the benchmark), also when it fails. */
export async function clusterFor(t: Pick<TestHandle, 'after'>, suite: string, options?: ClusterOptions): Promise<ClusterUnderTest> {
  const cluster = await clusterUnderTest(suite, options);
  t.after(async () => {
    const report = await cluster.dispose();
    if (report.problems.length > 0) throw new Error(`${suite}: left behind: ${report.problems.join('; ')}`);
  });
  return cluster;
}
