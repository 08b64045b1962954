/**
 * A baseline entry service for header-routing tests: `node` answering every request with what it
 * received (method, path, headers, body size, the connection's remote port) as JSON, and accepting
 * WebSocket upgrades: its first message is the upgrade request's `baggage`, then it echoes text.
 * The script lives in a ConfigMap mounted into a pod of the relay image (`node`), which any cluster
 * runs, and which the simulator's process runtime runs as a real process, so the entry serves on
 * both; the HTTP image of real clusters would not echo what it received.
 */
import type { ObjectInput } from '../../sim/defaults';
import type { ClusterUnderTest } from '../../cluster/clusterUnderTest';

export const echoPort = 8080;

const echoScript = `
const http = require('http');
const crypto = require('crypto');
function frame(text) {
  const payload = Buffer.from(text);
  const head = payload.length < 126 ? Buffer.from([0x81, payload.length]) : Buffer.from([0x81, 126, payload.length >> 8, payload.length & 255]);
  return Buffer.concat([head, payload]);
}
const server = http.createServer((req, res) => {
  let bodyBytes = 0;
  req.on('data', (chunk) => (bodyBytes += chunk.length));
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-echo', 'yes');
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, bodyBytes, remotePort: req.socket.remotePort, greeting: process.env.GREETING }));
  });
});
server.on('upgrade', (req, socket) => {
  const accept = crypto.createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  socket.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: ' + accept + '\\r\\n\\r\\n');
  socket.write(frame(JSON.stringify({ baggage: req.headers.baggage || null })));
  socket.on('data', (d) => {
    const opcode = d[0] & 15;
    const length = d[1] & 127;
    const mask = d.subarray(2, 6);
    const text = Buffer.from(d.subarray(6, 6 + length).map((b, i) => b ^ mask[i % 4])).toString();
    if (opcode === 1) socket.write(frame('echo:' + text));
    else if (opcode === 8) socket.end(Buffer.from([0x88, 0]));
  });
  socket.on('error', () => {});
});
server.listen(${echoPort});
`;

/** ConfigMap, Deployment and Service `name` in `namespace` running the echo script; `script` replaces it (a pod that never gets ready). */
export function echoWorkload(cluster: ClusterUnderTest, namespace: string, name = 'echo', script = echoScript): ObjectInput[] {
  const container = {
    name: 'echo',
    image: cluster.images.relay,
    command: ['node', '/opt/app/server.js'],
    env: [{ name: 'GREETING', value: 'the baseline' }],
    ports: [{ name: 'http', containerPort: echoPort }],
    // Real kubelets call a pod Ready once it runs unless a probe says otherwise; the simulator once it listens.
    readinessProbe: { tcpSocket: { port: echoPort }, periodSeconds: 2 },
    volumeMounts: [{ name: 'app', mountPath: '/opt/app' }],
  };
  const configMap: ObjectInput = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-script`, namespace }, data: { 'server.js': script } };
  const deployment: ObjectInput = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [container], volumes: [{ name: 'app', configMap: { name: `${name}-script` } }] },
      },
    },
  };
  const service: ObjectInput = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
  return [configMap, deployment, service];
}

/** A process that runs but never listens, so its pod never gets ready. */
export const idleScript = 'setInterval(() => {}, 1 << 30);';
