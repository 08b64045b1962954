import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forwardKey, rewriteForForwards, serviceOfHost, serviceReferences } from '../../../src/tunnel/environmentForwards';

const services = [
  { name: 'orders', ports: [8080] },
  { name: 'redis', ports: [6379] },
  { name: 'web', ports: [80, 443] },
];

const variables = {
  ORDERS_URL: 'http://orders:8080/api',
  REDIS: 'redis.shop.svc.cluster.local:6379',
  WEB: 'http://web.shop.svc/health',
  SECURE: 'https://web',
  OTHER_NS: 'orders.billing:8080',
  UNKNOWN: 'payments:9000',
  WRONG_PORT: 'orders:9999',
  NOT_A_HOST: 'ratio 3:4 and time 12:30',
  EXTERNAL: 'https://example.com',
};

test('finds the Services of the namespace that variables point at', () => {
  const refs = serviceReferences(variables, services, 'shop');
  assert.deepEqual(
    refs.map((r) => [r.variable, r.service, r.port, r.text]),
    [
      ['ORDERS_URL', 'orders', 8080, 'orders:8080'],
      ['REDIS', 'redis', 6379, 'redis.shop.svc.cluster.local:6379'],
      ['WEB', 'web', 80, 'http://web.shop.svc'],
      ['SECURE', 'web', 443, 'https://web'],
    ],
  );
});

test('rewrites references to their local forwards, leaving the rest alone', () => {
  const refs = serviceReferences(variables, services, 'shop');
  const local = new Map([
    [forwardKey('orders', 8080), 50001],
    [forwardKey('redis', 6379), 50002],
    [forwardKey('web', 80), 50003],
  ]);
  const out = rewriteForForwards(variables, refs, local);
  assert.equal(out.ORDERS_URL, 'http://127.0.0.1:50001/api');
  assert.equal(out.REDIS, '127.0.0.1:50002');
  assert.equal(out.WEB, 'http://127.0.0.1:50003/health');
  assert.equal(out.SECURE, 'https://web', 'no forward for 443: unchanged');
  assert.equal(out.NOT_A_HOST, variables.NOT_A_HOST);
});

test('host forms', () => {
  assert.equal(serviceOfHost('orders', 'shop'), 'orders');
  assert.equal(serviceOfHost('orders.shop', 'shop'), 'orders');
  assert.equal(serviceOfHost('orders.shop.svc', 'shop'), 'orders');
  assert.equal(serviceOfHost('orders.billing.svc', 'shop'), undefined);
  assert.equal(serviceOfHost('orders.shop.example.com', 'shop'), undefined);
});
