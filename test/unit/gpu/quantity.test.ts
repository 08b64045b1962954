import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatQuantity, parseQuantity, quantityOrError } from '../../../src/gpu/quantity';

test('plain numbers, millis and decimal suffixes', () => {
  assert.equal(parseQuantity('4'), 4);
  assert.equal(parseQuantity('500m'), 0.5);
  assert.equal(parseQuantity('1.5'), 1.5);
  assert.equal(parseQuantity('.5'), 0.5);
  assert.equal(parseQuantity('2k'), 2000);
  assert.equal(parseQuantity('3M'), 3e6);
  assert.equal(parseQuantity('1G'), 1e9);
  assert.equal(parseQuantity('100n'), 100e-9);
  assert.equal(parseQuantity('+7'), 7);
  assert.equal(parseQuantity(3), 3);
});

test('binary suffixes', () => {
  assert.equal(parseQuantity('1Ki'), 1024);
  assert.equal(parseQuantity('512Mi'), 512 * 2 ** 20);
  assert.equal(parseQuantity('1.5Gi'), 1.5 * 2 ** 30);
  assert.equal(parseQuantity('24581692Ki'), 24581692 * 1024);
  assert.equal(parseQuantity('2Ti'), 2 * 2 ** 40);
});

test('e-notation is an exponent, not the exa suffix', () => {
  assert.equal(parseQuantity('1e3'), 1000);
  assert.equal(parseQuantity('1E3'), 1000);
  assert.equal(parseQuantity('2.5e-3'), 0.0025);
  assert.equal(parseQuantity('1E'), 1e18);
});

test('rejects what the API server rejects', () => {
  for (const bad of ['', 'abc', '1 Gi', '1gi', '1KiB', '1.2.3', 'Mi', '1e', '--1', null, undefined, {}, Infinity]) {
    assert.equal(parseQuantity(bad), undefined, String(bad));
  }
});

test('errors say what is wrong and how to write it', () => {
  const err = quantityOrError('1 GB', 'memory request of container app');
  assert.ok(err instanceof Error);
  assert.match(err.message, /memory request of container app is "1 GB", which is not a Kubernetes quantity/);
  assert.equal(quantityOrError('2', 'x'), 2);
});

test('formats CPU and memory compactly', () => {
  assert.equal(formatQuantity('cpu', 0.25), '250m');
  assert.equal(formatQuantity('cpu', 2), '2');
  assert.equal(formatQuantity('memory', 512 * 2 ** 20), '512Mi');
  assert.equal(formatQuantity('memory', 1.5 * 2 ** 30), '1.5Gi');
  assert.equal(formatQuantity('nvidia.com/gpu', 4), '4');
});
