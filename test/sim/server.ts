/**
 * `startSimulator()`: a local Kubernetes API server over real HTTPS on 127.0.0.1, with a generated
 * CA, bearer-token users, a kubeconfig on disk, watch, controllers, a scheduler, a simulated
 * kubelet and fault injection. `stop()` closes every socket, watch, timer and the runtime.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../../src/kube/types';
import { DisposableStore } from '../../src/lifecycle';
import { ResourceApi } from './api';
import { Authenticator, mastersGroup, type StaticUser } from './auth';
import { Authorizer } from './authorizer';
import { bootstrapPolicy } from './bootstrapPolicy';
import { ClusterView } from './cluster';
import type { PodRuntime, SimCluster } from './contracts';
import type { ApiServerAccess } from './runtime/serviceAccount';
import { startControllers, type ControllerTimings } from './controllers/index';
import { applyCreateDefaults, mergeStringData, newUid, timestamp, type ObjectInput } from './defaults';
import { buildDiscovery } from './discovery';
import { EventRecorder } from './events';
import { Faults } from './faults';
import { GarbageCollector } from './gc';
import { contextName, writeKubeconfig } from './kubeconfig';
import { MemoryRuntime } from './memory-runtime';
import { RbacAuthorizer } from './rbac';
import { ResourceRegistry } from './resources';
import { handleRequest, type RestContext } from './rest';
import { ServiceAccountTokens } from './serviceAccountTokens';
import { ServiceAddresses } from './serviceAddresses';
import { ObjectStore } from './store';
import { generateServerCredentials } from './tls';
import { handleUpgrade } from './upgrade';
import { WatchHub } from './watch';
import { KUBE_API_FIXTURES } from '../fixtures/kubeApi';

export interface SimulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Where to write the kubeconfig; default a fresh temporary directory. */
  kubeconfigPath?: string;
  /** Cluster and context name in the kubeconfig (default "tether-sim"). */
  clusterName?: string;
  /** Run workload controllers, the scheduler and the simulated kubelet (default true). */
  controllers?: boolean;
  /** The pod runtime; default an in-memory one that keeps logs and runs nothing. */
  runtime?: (cluster: SimCluster) => PodRuntime;
  /** Watch events kept per resource before older resourceVersions answer 410 (default 5000). */
  historySize?: number;
  /** BOOKMARK interval for watches that ask for them (default 60 000 ms). */
  bookmarkIntervalMs?: number;
  /**
   * Users of the static token file besides "admin" (in system:masters, so it may do everything);
   * each gets a token and a context, and may do what RBAC grants it or its groups.
   */
  users?: { name: string; groups?: string[] }[];
  /** Controller, scheduler and kubelet delays (tests use tens of ms). */
  timings?: Partial<ControllerTimings>;
  /** Where the recorded API responses live (discovery, OpenAPI); default test/fixtures/kube-api. */
  samplesDir?: string;
  log?: (message: string) => void;
}

export interface Simulator {
  /** https://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  readonly kubeconfigPath: string;
  /** Context name of the admin user (the kubeconfig's current context). */
  readonly context: string;
  /** The admin user's bearer token. */
  readonly token: string;
  readonly caPem: string;
  readonly cluster: SimCluster;
  readonly faults: Faults;
  readonly api: ResourceApi;
  readonly store: ObjectStore;
  readonly authenticator: Authenticator;
  readonly authorizer: Authorizer;
  /**
   * A token of ServiceAccount `namespace/name` as the kubelet mounts it into a pod (bound to
   * `pod` when given), or undefined when the ServiceAccount does not exist.
   */
  serviceAccountToken(namespace: string, name: string, pod?: KubeObject): string | undefined;
  /**
   * What the kubelet gives a pod to reach this API server: its address, CA and the token of the
   * pod's ServiceAccount bound to the pod; undefined when the ServiceAccount is missing or opts out.
   */
  inClusterAccess(pod: KubeObject): ApiServerAccess | undefined;
  /** Token of a configured user. */
  tokenOf(user: string): string;
  /** Context name of a configured user. */
  contextOf(user: string): string;
  /** Stores objects as they are (uid, timestamps and defaults filled in), without validation: fast, for fixtures and benchmarks. */
  seed(objects: ObjectInput[]): KubeObject[];
  /** Server-side apply as field manager "tether-sim" (forced), through the full API semantics. */
  apply(object: ObjectInput): KubeObject;
  /** Number of open watch connections. */
  readonly openWatches: number;
  stop(): Promise<void>;
}

function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const log = options.log ?? (() => {});
  const clusterName = options.clusterName ?? 'tether-sim';
  const samplesDir = options.samplesDir ?? KUBE_API_FIXTURES;
  const runControllers = options.controllers ?? true;
  const owned = new DisposableStore();

  const registry = new ResourceRegistry();
  const store = owned.add(new ObjectStore(options.historySize ?? 5000));
  const serviceAddresses = owned.add(new ServiceAddresses(store, registry.kind('Service')));
  const api = new ResourceApi(store, registry, { gracefulPods: runControllers, serviceAddresses });
  const events = new EventRecorder(api);
  const cluster = new ClusterView(store, api, events);
  const users: StaticUser[] = [{ name: 'admin', token: newToken(), groups: [mastersGroup] }, ...(options.users ?? []).map((u) => ({ name: u.name, token: newToken(), groups: u.groups }))];
  const tokens = new ServiceAccountTokens(store, registry);
  const authenticator = new Authenticator(users, tokens);
  const authorizer = new Authorizer(new RbacAuthorizer(store, registry));
  const watches = owned.add(new WatchHub(store, options.bookmarkIntervalMs ?? 60_000));
  const runtime = owned.add((options.runtime ?? ((c) => new MemoryRuntime(c)))(cluster));
  owned.add(new GarbageCollector(store, api, log));

  api.create(registry.kind('Namespace'), undefined, { metadata: { name: 'default' } }, { fieldManager: 'kube-apiserver' });
  api.create(registry.kind('Namespace'), undefined, { metadata: { name: 'kube-system' } }, { fieldManager: 'kube-apiserver' });
  for (const object of bootstrapPolicy()) api.create(registry.kind(object.kind), undefined, object, { fieldManager: 'kube-apiserver' });
  if (runControllers) owned.add(startControllers({ store, api, events, runtime, log, timings: options.timings }));

  const credentials = generateServerCredentials();
  const sockets = new Set<Socket>();
  const server: Server = createServer({ cert: credentials.certPem, key: credentials.keyPem });
  let port = options.port ?? 0;

  const faults = new Faults({
    dropWatches: () => watches.dropAll(),
    cutPortForwards: () => runtime.cutPortForwards(),
    outage: async (ms) => {
      log(`outage: going away for ${ms} ms`);
      await closeServer();
      await new Promise((r) => setTimeout(r, ms));
      if (!stopped) await listen();
    },
  });
  const ctx: RestContext = { api, store, registry, watches, authenticator, authorizer, tokens, discovery: buildDiscovery(registry, samplesDir), faults, runtime: () => runtime, log };

  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', (req, res) => void handleRequest(ctx, req, res));
  server.on('upgrade', (req, socket, head) => void handleUpgrade(ctx, req, socket as Socket, head));
  server.on('tlsClientError', () => {});

  function listen(): Promise<void> {
    return new Promise((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        if (address && typeof address === 'object') port = address.port;
        resolveListen();
      });
    });
  }

  function closeServer(): Promise<void> {
    const closed = new Promise<void>((r) => server.close(() => r()));
    watches.dropAll();
    runtime.cutPortForwards();
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    return closed;
  }

  await listen();
  const url = `https://127.0.0.1:${port}`;
  let tempDir: string | undefined;
  let kubeconfigPath = options.kubeconfigPath;
  if (!kubeconfigPath) {
    tempDir = mkdtempSync(join(tmpdir(), 'tether-sim-'));
    kubeconfigPath = join(tempDir, 'kubeconfig');
  }
  writeKubeconfig(kubeconfigPath, { server: url, caPem: credentials.caPem, clusterName, users });
  log(`simulator listening on ${url}, kubeconfig ${kubeconfigPath}`);

  let stopped = false;
  const serviceAccountToken = (namespace: string, name: string, pod?: KubeObject): string | undefined => {
    const account = store.get(registry.kind('ServiceAccount'), namespace, name);
    if (!account) return undefined;
    // The kubelet asks for tokens that outlive the pod (a year when the server extends them).
    return tokens.issue(account, { expirationSeconds: 365 * 24 * 3600, bound: pod ? { kind: 'Pod', object: pod } : undefined }).token;
  };

  return {
    url,
    port,
    kubeconfigPath,
    context: clusterName,
    token: users[0].token,
    caPem: credentials.caPem,
    cluster,
    faults,
    api,
    store,
    authenticator,
    authorizer,
    serviceAccountToken,
    inClusterAccess(pod) {
      const namespace = pod.metadata.namespace ?? 'default';
      const spec = (pod.spec ?? {}) as { serviceAccountName?: string; automountServiceAccountToken?: boolean };
      const name = spec.serviceAccountName || 'default';
      const account = store.get(registry.kind('ServiceAccount'), namespace, name) as (KubeObject & { automountServiceAccountToken?: boolean }) | undefined;
      if (!account || (spec.automountServiceAccountToken === undefined && account.automountServiceAccountToken === false)) return undefined;
      const token = serviceAccountToken(namespace, name, pod);
      return token ? { host: '127.0.0.1', port, caPem: credentials.caPem, token } : undefined;
    },
    tokenOf: (name) => authenticator.staticUser(name).token,
    contextOf: (name) => contextName(clusterName, authenticator.staticUser(name).name, name === users[0].name),
    seed(objects) {
      return objects.map((input) => {
        const info = registry.kind(String(input.kind));
        const object = structuredClone(input) as KubeObject;
        object.apiVersion = info.apiVersion;
        object.metadata.uid ||= newUid();
        object.metadata.creationTimestamp ??= timestamp();
        if (object.spec !== undefined && info.kind !== 'Pod') (object.metadata as { generation?: number }).generation ??= 1;
        mergeStringData(object);
        if (object.status === undefined || info.kind === 'Service') {
          const status = object.status;
          applyCreateDefaults(object);
          if (info.kind === 'Service') serviceAddresses.admit(object);
          if (status !== undefined) object.status = status;
        }
        return store.put(info, object);
      });
    },
    apply(object) {
      const info = registry.kind(String(object.kind));
      return api.patch(info, object.metadata.namespace, object.metadata.name, 'apply', object, { fieldManager: 'tether-sim', force: true }).object;
    },
    get openWatches() {
      return watches.openWatches;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await closeServer();
      owned.dispose();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
}
