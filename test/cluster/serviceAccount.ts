/**
 * An identity of the test's own with exactly the permissions it needs, on any cluster: a
 * ServiceAccount in one of the fixture's namespaces, a Role with `rules` bound to it, a token from
 * the TokenRequest API and a kubeconfig whose user presents it. A ServiceAccount holds nothing
 * cluster-wide, so "may not create namespaces" comes with it. `revoke()` deletes the ServiceAccount
 * (its tokens stop working at once); with `renewable`, the kubeconfig's exec credential plugin reads
 * the token from a file that `restore()` refills, so a client picks up the new one after a 401.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { KubeClient } from '../../src/kube/api';
import { loadKubeconfig } from '../../src/kube/config';
import { kinds, resourcePath } from '../../src/kube/kinds';
import type { PolicyRule } from '../../src/kube/role';
import type { ClusterUnderTest } from './clusterUnderTest';
import type { FaultProxy } from './faultProxy';
import { clusterEntryOf, privateFolder, reachedThrough, writeKubeconfig, type KubeconfigUser } from './kubeconfigFile';

export interface ServiceAccountOptions {
  /** Default `tester-<random>`. */
  name?: string;
  /** Reach the API server through this fault proxy instead of directly. */
  via?: FaultProxy;
  /** The token comes from an exec credential plugin reading a file, so `restore()` can hand out a new one. */
  renewable?: boolean;
}

export interface ServiceAccountAccess {
  readonly name: string;
  readonly namespace: string;
  /** `system:serviceaccount:<namespace>:<name>`, as the API server names it in a 403. */
  readonly user: string;
  /** A kubeconfig with one context, `context`, for this identity. */
  readonly kubeconfigPath: string;
  readonly context: string;
  /** The token the kubeconfig presents now. Never log it. */
  readonly token: string;
  /** A client of this identity, closed with the fixture. */
  client(): KubeClient;
  /**
   * Deletes the ServiceAccount and resolves once its token is refused (401): an API server keeps
   * what a token authenticated as for up to 10 s.
   */
  revoke(): Promise<void>;
  /** Creates the ServiceAccount again and a token for it, and resolves once it is accepted (renewable credentials only). */
  restore(): Promise<void>;
}

const execScript = "process.stdout.write(JSON.stringify({apiVersion:'client.authentication.k8s.io/v1',kind:'ExecCredential',status:{token:require('fs').readFileSync(process.argv[1],'utf8').trim()}}))";

async function requestToken(cluster: ClusterUnderTest, namespace: string, name: string): Promise<string> {
  const answer = await cluster.client().request<{ status?: { token?: string } }>({
    what: `Request a token for ServiceAccount ${namespace}/${name}`,
    method: 'POST',
    path: `${resourcePath(kinds.ServiceAccount, namespace, name)}/token`,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  });
  const token = answer?.status?.token;
  if (!token) throw new Error(`the TokenRequest for ${namespace}/${name} answered without a token`);
  return token;
}

/** True once `client`'s credentials are refused (401), false once they are accepted. */
function refused(client: KubeClient): Promise<boolean> {
  return client.version().then(
    () => false,
    (err: unknown) => {
      if ((err as { reason?: string }).reason === 'Unauthorized') return true;
      throw err;
    },
  );
}

async function createServiceAccount(cluster: ClusterUnderTest, namespace: string, name: string): Promise<void> {
  await cluster.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
}

/** RBAC is served from a cache on a real API server: wait until the new binding is in force. */
async function waitForRules(cluster: ClusterUnderTest, client: KubeClient, rules: readonly PolicyRule[]): Promise<void> {
  const rule = rules.find((r) => r.verbs.length > 0 && r.resources.length > 0 && !r.resources[0].includes('*'));
  if (!rule) return;
  const [resource, subresource] = rule.resources[0].split('/');
  const resourceAttributes: Record<string, string> = { namespace: client.defaultNamespace, verb: rule.verbs[0] === '*' ? 'get' : rule.verbs[0], group: rule.apiGroups[0] === '*' ? '' : rule.apiGroups[0], resource };
  if (subresource) resourceAttributes.subresource = subresource;
  if (rule.resourceNames?.length) resourceAttributes.name = rule.resourceNames[0];
  await cluster.until(async () => {
    const review = await client.request<{ status?: { allowed?: boolean } }>({
      what: 'Check that the test ServiceAccount\'s Role is in force',
      method: 'POST',
      path: resourcePath(kinds.SelfSubjectAccessReview),
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes } },
    });
    return review?.status?.allowed === true;
  }, `the Role of ${client.context} to be in force`);
}

/**
 * A ServiceAccount in `namespace` (one of the fixture's) with a Role of exactly `rules`, and a
 * kubeconfig and client for it; removed with the fixture.
 */
export async function withServiceAccount(cluster: ClusterUnderTest, namespace: string, rules: readonly PolicyRule[], options: ServiceAccountOptions = {}): Promise<ServiceAccountAccess> {
  const name = options.name ?? `tester-${randomBytes(3).toString('hex')}`;
  await createServiceAccount(cluster, namespace, name);
  const rbac = { apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name, namespace } };
  await cluster.apply({ ...rbac, kind: 'Role', rules: rules.map((r) => ({ ...r })) });
  await cluster.apply({ ...rbac, kind: 'RoleBinding', roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects: [{ kind: 'ServiceAccount', name, namespace }] });
  let token = await requestToken(cluster, namespace, name);

  const folder = privateFolder();
  cluster.defer(() => folder.dispose());
  const tokenFile = join(folder.path, 'token');
  writeFileSync(tokenFile, token, { mode: 0o600 });
  const direct = clusterEntryOf(cluster.kubeconfigPath, cluster.context);
  const entry = options.via ? reachedThrough(direct, options.via.address) : direct;
  const user: KubeconfigUser = options.renewable
    ? { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: ['-e', execScript, tokenFile], interactiveMode: 'Never' } }
    : { token };
  const context = `${name}@${namespace}`;
  const kubeconfigPath = writeKubeconfig(folder.path, context, entry, user, namespace);

  let client: KubeClient | undefined;
  cluster.defer(() => client?.dispose());
  const access: ServiceAccountAccess = {
    name,
    namespace,
    user: `system:serviceaccount:${namespace}:${name}`,
    kubeconfigPath,
    context,
    get token() {
      return token;
    },
    client: () => (client ??= KubeClient.forContext(loadKubeconfig({ KUBECONFIG: kubeconfigPath }), context)),
    async revoke() {
      await cluster.client().delete(kinds.ServiceAccount, namespace, name);
      await cluster.until(() => refused(access.client()), `the API server to refuse the token of ${name}`);
    },
    async restore() {
      if (!options.renewable) throw new Error('restore() needs renewable credentials: withServiceAccount(…, { renewable: true })');
      await createServiceAccount(cluster, namespace, name);
      token = await requestToken(cluster, namespace, name);
      writeFileSync(tokenFile, token, { mode: 0o600 });
      // After a 401 the exec plugin runs again and reads the new token.
      await cluster.until(async () => !(await refused(access.client())), `the API server to accept the new token of ${name}`);
    },
  };
  await waitForRules(cluster, access.client(), rules);
  return access;
}

/**
 * A ClusterRole of exactly `rules` bound to the identity across the cluster (what a ServiceAccount
 * otherwise never holds), removed with the fixture; resolves once the API server applies it.
 */
export async function grantClusterWide(cluster: ClusterUnderTest, access: ServiceAccountAccess, rules: readonly PolicyRule[]): Promise<void> {
  const name = `${access.name}-${access.namespace}`;
  const admin = cluster.client();
  const path = (plural: string, item = '') => `/apis/rbac.authorization.k8s.io/v1/${plural}${item ? `/${item}` : ''}`;
  const rbac = { apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name } };
  for (const [kind, plural, body] of [
    ['ClusterRole', 'clusterroles', { rules: rules.map((r) => ({ ...r })) }],
    ['ClusterRoleBinding', 'clusterrolebindings', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name }, subjects: [{ kind: 'ServiceAccount', name: access.name, namespace: access.namespace }] }],
  ] as const) {
    await admin.request({ what: `Create ${kind} ${name}`, method: 'POST', path: path(plural), body: { ...rbac, kind, ...body } });
    cluster.defer(() => admin.request({ what: `Delete ${kind} ${name}`, method: 'DELETE', path: path(plural, name) }));
  }
  await waitForRules(cluster, access.client(), rules);
}
