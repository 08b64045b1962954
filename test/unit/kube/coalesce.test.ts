import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Coalescer } from '../../../src/kube/coalesce';
import { ManualClock } from './manual-clock';

test('a burst becomes one leading and one trailing flush; never more than 10 per second', () => {
  const clock = new ManualClock();
  let flushes = 0;
  const coalescer = new Coalescer(() => flushes++, 10, clock);
  coalescer.signal();
  assert.equal(flushes, 1, 'leading flush after quiet');
  for (let i = 0; i < 50; i++) coalescer.signal();
  assert.equal(flushes, 1);
  clock.advance(100);
  assert.equal(flushes, 2, 'one trailing flush');
  // A steady stream of 10,000 signals per second for 3 s.
  for (let ms = 0; ms < 3000; ms++) {
    for (let i = 0; i < 10; i++) coalescer.signal();
    clock.advance(1);
  }
  assert.ok(flushes - 2 <= 30 && flushes - 2 >= 29, `${flushes - 2} flushes in 3 s`);
});

test('quiet signals flush immediately; dispose cancels a pending flush', () => {
  const clock = new ManualClock();
  let flushes = 0;
  const coalescer = new Coalescer(() => flushes++, 4, clock);
  coalescer.signal();
  clock.advance(1000);
  coalescer.signal();
  assert.equal(flushes, 2);
  coalescer.signal();
  assert.equal(clock.pendingTimers, 1);
  coalescer.dispose();
  assert.equal(clock.pendingTimers, 0);
  clock.advance(1000);
  coalescer.signal();
  assert.equal(flushes, 2);
});
