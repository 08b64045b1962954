import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relayPortsFor, servicesSelecting, type ServiceLike } from '../../../src/tunnel/relayPorts';

const template = {
  metadata: { labels: { app: 'web', tier: 'front' } },
  spec: { containers: [{ ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9100 }, { containerPort: 53, protocol: 'UDP' }] }] },
};

test('ports come from the Service that selects the pods, named target ports resolved', () => {
  const services: ServiceLike[] = [
    { metadata: { name: 'other' }, spec: { selector: { app: 'api' }, ports: [{ port: 80 }] } },
    { metadata: { name: 'everything' }, spec: { selector: {}, ports: [{ port: 1 }] } },
    { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'HTTP', port: 80, targetPort: 'http' }, { name: 'admin', port: 81, targetPort: 9100 }, { name: 'dns', port: 53, protocol: 'UDP' }] } },
  ];
  assert.deepEqual(servicesSelecting(template, services).map((s) => s.metadata.name), ['web']);
  assert.deepEqual(relayPortsFor(template, services), {
    service: 'web',
    ports: [
      { name: 'http', port: 80, targetPort: 8080 },
      { name: 'admin', port: 81, targetPort: 9100 },
    ],
  });
});

test('without a Service, the containers\' TCP ports', () => {
  assert.deepEqual(relayPortsFor(template, []), {
    ports: [
      { name: 'http', port: 8080, targetPort: 8080 },
      { name: 'metrics', port: 9100, targetPort: 9100 },
    ],
  });
  assert.deepEqual(relayPortsFor({}, []), { ports: [] });
});
