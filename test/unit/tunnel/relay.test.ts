import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { relayObjects, type RelaySpec } from '../../../src/tunnel/relay';
import { isTetherManaged, labelValue, relayName, relaySelector } from '../../../src/tunnel/relayLabels';

const goldenPath = path.join(__dirname, 'relay.golden.json');

const spec: RelaySpec = {
  name: relayName('checkout'),
  namespace: 'shop',
  sandbox: 'jane-checkout',
  owner: 'jane@example.com',
  agentScript: 'console.log("agent")\n',
  token: 's3cret-token',
  ports: [
    { name: 'http', port: 80, targetPort: 8080 },
    { name: 'grpc', port: 9090 },
  ],
};

interface Container {
  name: string;
  securityContext?: Record<string, unknown>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  ports?: { hostPort?: number }[];
  readinessProbe?: unknown;
}
interface PodSpec {
  securityContext?: Record<string, unknown>;
  containers: Container[];
  initContainers?: Container[];
  volumes?: Record<string, unknown>[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
}

/** The checks of Pod Security "restricted" (v1.25+), one message per violation. */
function restrictedViolations(pod: PodSpec): string[] {
  const out: string[] = [];
  const podSc = pod.securityContext ?? {};
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) out.push('host namespaces');
  const allowedVolumes = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
  for (const volume of pod.volumes ?? []) {
    const type = Object.keys(volume).find((k) => k !== 'name');
    if (!type || !allowedVolumes.includes(type)) out.push(`volume type ${type}`);
  }
  for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
    const sc = c.securityContext ?? {};
    if (sc.privileged === true) out.push(`${c.name}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${c.name}: allowPrivilegeEscalation != false`);
    const caps = (sc.capabilities ?? {}) as { drop?: string[]; add?: string[] };
    if (!caps.drop?.includes('ALL')) out.push(`${c.name}: capabilities not dropping ALL`);
    if ((caps.add ?? []).some((a) => a !== 'NET_BIND_SERVICE')) out.push(`${c.name}: adds capabilities`);
    const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    if (nonRoot !== true) out.push(`${c.name}: runAsNonRoot`);
    const user = sc.runAsUser ?? podSc.runAsUser;
    if (user === 0) out.push(`${c.name}: runAsUser 0`);
    const seccomp = ((sc.seccompProfile ?? podSc.seccompProfile) as { type?: string } | undefined)?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${c.name}: seccompProfile`);
    if ((c.ports ?? []).some((p) => p.hostPort)) out.push(`${c.name}: hostPort`);
  }
  return out;
}

test('relay objects match the golden manifests', () => {
  const objects = relayObjects(spec);
  const text = `${JSON.stringify(objects, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(goldenPath, text);
  assert.deepEqual(JSON.parse(text), JSON.parse(readFileSync(goldenPath, 'utf8')));
});

test('the relay pod meets Pod Security "restricted", has a read-only root, limits and a readiness probe', () => {
  const { deployment } = relayObjects(spec);
  const pod = (deployment.spec as { template: { spec: PodSpec } }).template.spec;
  assert.deepEqual(restrictedViolations(pod), []);
  const [relay] = pod.containers;
  assert.equal(relay.securityContext?.readOnlyRootFilesystem, true);
  assert.equal(typeof relay.securityContext?.runAsUser, 'number');
  assert.ok(relay.resources?.requests?.cpu && relay.resources.requests.memory);
  assert.ok(relay.resources?.limits?.cpu && relay.resources.limits.memory);
  assert.deepEqual(Object.keys(relay.readinessProbe as object).includes('exec'), true, 'probed inside the pod, not through a data port');
});

test('the PSS check itself catches a root, privileged pod', () => {
  const bad: PodSpec = { hostNetwork: true, containers: [{ name: 'x', securityContext: { privileged: true, runAsUser: 0 } }], volumes: [{ name: 'h', hostPath: { path: '/' } }] };
  const found = restrictedViolations(bad);
  for (const expected of ['host namespaces', 'volume type hostPath', 'x: privileged', 'x: runAsNonRoot', 'x: runAsUser 0', 'x: seccompProfile']) {
    assert.ok(found.includes(expected), expected);
  }
});

test('every object carries the tunnel labels; the selectors match the pods', () => {
  const objects = relayObjects(spec);
  for (const object of Object.values(objects)) {
    assert.ok(isTetherManaged(object), object.kind);
    assert.equal(object.metadata.labels['tether.dev/sandbox'], 'jane-checkout');
    assert.equal(object.metadata.labels['tether.dev/owner'], 'jane.at.example.com');
    assert.equal(object.metadata.namespace, 'shop');
  }
  const deployment = objects.deployment.spec as { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } };
  const serviceSelector = (objects.service.spec as { selector: Record<string, string> }).selector;
  for (const selector of [deployment.selector.matchLabels, serviceSelector, relaySelector(spec.name)]) {
    for (const [k, v] of Object.entries(selector)) assert.equal(deployment.template.metadata.labels[k], v);
  }
});

test('the Service maps caller ports to the agent data ports; the token is only in the Secret', () => {
  const objects = relayObjects(spec);
  const ports = (objects.service.spec as { ports: { port: number; targetPort: number }[] }).ports;
  assert.deepEqual(
    ports.map((p) => [p.port, p.targetPort]),
    [
      [80, 8080],
      [9090, 9090],
    ],
  );
  const env = (objects.deployment.spec as { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } }).template.spec.containers[0].env;
  assert.equal(env.find((e) => e.name === 'TETHER_DATA_PORTS')?.value, '8080,9090');
  assert.equal(JSON.stringify(objects.deployment).includes('s3cret-token'), false);
  assert.equal(Buffer.from((objects.secret.data as { token: string }).token, 'base64').toString(), 's3cret-token');
});

test('joining the workload Service: its selector on the relay pod only, data ports named like the workload', () => {
  const joined = relayObjects({ ...spec, join: { service: 'checkout', selector: { app: 'checkout', tier: 'web' }, portNames: { 8080: 'http' } } });
  const deployment = joined.deployment.spec as { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: { containers: { ports: { name: string; containerPort: number }[] }[] } } };
  assert.equal(deployment.template.metadata.labels.app, 'checkout');
  assert.equal(deployment.template.metadata.labels.tier, 'web');
  assert.equal(deployment.template.metadata.labels['app.kubernetes.io/managed-by'], 'tether');
  assert.deepEqual(deployment.selector.matchLabels, relaySelector(spec.name), 'the relay Deployment selects only its own pods');
  for (const object of Object.values(joined)) assert.equal(object.metadata.labels.app, undefined, `${object.kind} itself does not carry the joined labels`);
  assert.deepEqual(
    deployment.template.spec.containers[0].ports.map((p) => [p.name, p.containerPort]),
    [
      ['http', 8080],
      ['data-1', 9090],
    ],
  );
  assert.throws(() => relayObjects({ ...spec, join: { service: 'checkout', selector: { 'app.kubernetes.io/managed-by': 'Helm' }, portNames: {} } }), /cannot join Service "checkout": its selector uses app\.kubernetes\.io\/managed-by/);
  assert.throws(() => relayObjects({ ...spec, join: { service: 'checkout', selector: {}, portNames: {} } }), /no selector/);
});

test('bad specs are refused', () => {
  assert.throws(() => relayObjects({ ...spec, ports: [] }), /at least one port/);
  assert.throws(() => relayObjects({ ...spec, ports: [{ port: 70000 }] }), /not a TCP port/);
  assert.throws(() => relayObjects({ ...spec, ports: [{ port: 7457 }] }), /control port/);
  assert.throws(() => relayObjects({ ...spec, ports: [{ port: 7458 }] }), /health port/);
  assert.throws(() => relayObjects({ ...spec, ports: [{ port: 1 }, { port: 2 }] }), /needs a name/);
});

test('names and label values stay within Kubernetes limits', () => {
  assert.equal(relayName('Checkout_API'), 'tether-relay-checkout-api');
  assert.ok(relayName('x'.repeat(100)).length <= 47);
  assert.equal(labelValue('-weird value!-'), 'weird-value');
  assert.equal(labelValue(''), 'unknown');
  assert.ok(labelValue('a'.repeat(100)).length <= 63);
  assert.equal(isTetherManaged({ metadata: { labels: { 'app.kubernetes.io/managed-by': 'helm' } } }), false);
});
