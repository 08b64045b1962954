/**
 * What the preview tests fork, for the cluster under test: the sample workspace's shop/api
 * (sample/k8s/api.yaml) moved into the fixture's throwaway namespace, and a small `node` HTTP
 * server that answers with an environment variable, for env forks.
 *
 * On the simulator the api keeps the sample's image, which the simulated kubelet runs as a stand-in
 * pod. A real cluster cannot pull that image, so there the api runs the HTTP image setting on its
 * port instead; the local fork replaces it either way, so only its being up and its port matter.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ObjectInput } from '../../sim/defaults';
import type { ClusterUnderTest } from '../../cluster/clusterUnderTest';

export const sampleDir = join(__dirname, '../../../sample');

interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

interface Container {
  name: string;
  image: string;
  ports?: ContainerPort[];
}

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
}

type DeploymentInput = ObjectInput & { spec: { template: { spec: { containers: Container[] } } } };
type ServiceInput = ObjectInput & { spec: { ports: ServicePort[] } };

export interface SampleApi {
  objects: ObjectInput[];
  /** The port the api's container listens on: the sample's own, or the HTTP image's on a real cluster. */
  port: number;
}

/** The sample's api Deployment and Service in `namespace`; with `serve`, that image and port in place of the sample's. */
export function sampleApi(namespace: string, serve?: { image: string; port: number }): SampleApi {
  const objects = parseAllDocuments(readFileSync(join(sampleDir, 'k8s', 'api.yaml'), 'utf8')).map((d) => d.toJS() as ObjectInput);
  const deployment = objects.find((o): o is DeploymentInput => o.kind === 'Deployment');
  const service = objects.find((o): o is ServiceInput => o.kind === 'Service');
  if (!deployment || !service) throw new Error('sample/k8s/api.yaml lost its api Deployment or Service');
  const [container] = deployment.spec.template.spec.containers;
  const samplePort = container.ports?.[0]?.containerPort;
  if (samplePort === undefined) throw new Error('the sample api declares no container port');
  if (serve) {
    container.image = serve.image;
    container.ports = (container.ports ?? []).map((p) => (p.containerPort === samplePort ? { ...p, containerPort: serve.port } : p));
    service.spec.ports = service.spec.ports.map((p) => (p.targetPort === samplePort ? { ...p, targetPort: serve.port } : p));
  }
  return { objects: objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace } })), port: serve?.port ?? samplePort };
}

/** The sample's api as the cluster under test can run it. */
export function sampleApiFor(cluster: ClusterUnderTest): SampleApi {
  return sampleApi(cluster.namespace, cluster.kind === 'real' ? { image: cluster.images.http, port: cluster.images.httpPort } : undefined);
}

/** ConfigMap "hello-script" in `namespace`: a `node` HTTP server answering "hello from $GREETING <path>" on 8080. */
export function greetingScript(namespace: string): ObjectInput {
  const script = "require('http').createServer((req, res) => res.end('hello from ' + process.env.GREETING + ' ' + req.url)).listen(8080);";
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hello-script', namespace }, data: { 'server.js': script } };
}

/**
 * Deployment and Service "hello" in `namespace` running `greetingScript` from its ConfigMap on
 * `image` (one with `node`): a real process on the simulator's pod runtime too.
 */
export function greetingWorkload(namespace: string, image: string): ObjectInput[] {
  const deployment: ObjectInput = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'hello', namespace, labels: { app: 'hello' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'hello' } },
      template: {
        metadata: { labels: { app: 'hello' } },
        spec: {
          containers: [{ name: 'hello', image, command: ['node', '/opt/app/server.js'], env: [{ name: 'GREETING', value: 'the baseline' }], ports: [{ name: 'http', containerPort: 8080 }], volumeMounts: [{ name: 'app', mountPath: '/opt/app' }] }],
          volumes: [{ name: 'app', configMap: { name: 'hello-script' } }],
        },
      },
    },
  };
  const service: ObjectInput = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'hello', namespace }, spec: { selector: { app: 'hello' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
  return [greetingScript(namespace), deployment, service];
}
