import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toASCII, toUnicode } from '../../../src/shims/tr46';

test('toASCII maps international domains to punycode and lowercases', () => {
  assert.equal(toASCII('Bücher.example'), 'xn--bcher-kva.example');
  assert.equal(toASCII('API.Example.COM'), 'api.example.com');
  assert.equal(toASCII('127.0.0.1'), '127.0.0.1');
});

test('toASCII answers null for domains that cannot be mapped, like tr46', () => {
  assert.equal(toASCII('xn--a.example'), null);
  assert.equal(toASCII(''), '');
});

test('toUnicode reverses punycode', () => {
  assert.deepEqual(toUnicode('xn--bcher-kva.example'), { domain: 'bücher.example', error: false });
});
