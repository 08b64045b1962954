import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BaggageError, baggageMembers, decodeBaggageValue, encodeBaggageValue, maxBaggageBytes, maxBaggageMembers, mergeBaggage, readBaggage, sandboxBaggageHeader, sandboxBaggageKey } from '../../../src/sandbox/preview/baggage';

test('a request without baggage gets our member alone', () => {
  assert.equal(mergeBaggage(undefined, sandboxBaggageKey, 'jane-main'), 'tether-sandbox=jane-main');
  assert.equal(mergeBaggage('', sandboxBaggageKey, 'jane-main'), 'tether-sandbox=jane-main');
  assert.equal(sandboxBaggageHeader('jane-main'), 'baggage: tether-sandbox=jane-main');
});

test('other members are kept unchanged and in order, after ours', () => {
  const header = 'userId=alice, session=a%20b;ttl=60 ,  region=eu';
  assert.equal(mergeBaggage(header, sandboxBaggageKey, 'jane-main'), 'tether-sandbox=jane-main,userId=alice,session=a%20b;ttl=60,region=eu');
});

test('an existing tether-sandbox member is replaced, whatever its spacing and properties', () => {
  assert.equal(mergeBaggage('a=1,tether-sandbox=bob-feature;p=1,b=2', sandboxBaggageKey, 'jane-main'), 'tether-sandbox=jane-main,a=1,b=2');
  assert.equal(mergeBaggage('tether-sandbox = old , a=1, tether-sandbox=older', sandboxBaggageKey, 'jane-main'), 'tether-sandbox=jane-main,a=1');
  // A key that only starts with ours is someone else's.
  assert.equal(mergeBaggage('tether-sandbox-x=1', sandboxBaggageKey, 'n'), 'tether-sandbox=n,tether-sandbox-x=1');
});

test('several baggage header lines are combined into one list', () => {
  assert.equal(mergeBaggage(['a=1', 'b=2, tether-sandbox=x'], sandboxBaggageKey, 'y'), 'tether-sandbox=y,a=1,b=2');
  assert.deepEqual(baggageMembers(['a=1,,', ' ', 'b=2']), ['a=1', 'b=2']);
});

test('values are percent-encoded outside baggage-octet and decode back', () => {
  const raw = 'a b,c;d"e\\f%g=h/ü';
  const encoded = encodeBaggageValue(raw);
  assert.equal(encoded, 'a%20b%2Cc%3Bd%22e%5Cf%25g=h/%C3%BC');
  assert.equal(decodeBaggageValue(encoded), raw);
  assert.equal(readBaggage(mergeBaggage('x=1', 'k', raw), 'k'), raw);
  assert.equal(decodeBaggageValue('%E0%A4%A'), '%E0%A4%A', 'a malformed escape is kept as written');
});

test('readBaggage finds a member among others, the last one winning', () => {
  assert.equal(readBaggage('a=1, tether-sandbox = jane-main ;p=q, b=2', sandboxBaggageKey), 'jane-main');
  assert.equal(readBaggage('tether-sandbox=a,tether-sandbox=b', sandboxBaggageKey), 'b');
  assert.equal(readBaggage('a=1', sandboxBaggageKey), undefined);
  assert.equal(readBaggage(undefined, sandboxBaggageKey), undefined);
});

test('more members than W3C Baggage allows is a clear error with a next step', () => {
  const full = Array.from({ length: maxBaggageMembers }, (_, i) => `k${i}=v`).join(',');
  assert.throws(() => mergeBaggage(full, sandboxBaggageKey, 'n'), (err: unknown) => {
    assert.ok(err instanceof BaggageError);
    assert.match(err.message, /already has 180 members; with tether-sandbox it would have 181, more than the 180/);
    assert.match(err.remedy, /fewer baggage members/);
    return true;
  });
  // Replacing our own member does not count twice.
  const withOurs = Array.from({ length: maxBaggageMembers - 1 }, (_, i) => `k${i}=v`).concat('tether-sandbox=old').join(',');
  assert.equal(baggageMembers(mergeBaggage(withOurs, sandboxBaggageKey, 'n')).length, maxBaggageMembers);
});

test('a header longer than 8192 bytes is a clear error', () => {
  const long = `big=${'x'.repeat(maxBaggageBytes - 'big='.length - 10)}`;
  assert.throws(() => mergeBaggage(long, sandboxBaggageKey, 'jane-main'), (err: unknown) => err instanceof BaggageError && /would be \d+ bytes, more than the 8192/.test(err.message));
  const fits = `big=${'x'.repeat(maxBaggageBytes - 'big='.length - 'tether-sandbox=n,'.length)}`;
  assert.equal(Buffer.byteLength(mergeBaggage(fits, sandboxBaggageKey, 'n')), maxBaggageBytes);
});

test('a key that is not an HTTP token is refused', () => {
  assert.throws(() => mergeBaggage(undefined, 'bad key', 'v'), BaggageError);
  assert.throws(() => mergeBaggage(undefined, 'a,b', 'v'), /not a valid baggage key/);
});
