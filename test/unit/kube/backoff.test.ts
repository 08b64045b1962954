import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from '../../../src/kube/backoff';
import { ManualClock } from './manual-clock';

test('doubles from 0.8 s to a 30 s cap', () => {
  const clock = new ManualClock();
  const backoff = new Backoff({ clock, random: () => 0.5 });
  const delays = Array.from({ length: 9 }, () => backoff.next());
  assert.deepEqual(delays, [800, 1600, 3200, 6400, 12800, 25600, 30000, 30000, 30000]);
});

test('jitter stays within ±20 % and under the cap', () => {
  const clock = new ManualClock();
  for (const r of [0, 0.3, 0.999]) {
    const backoff = new Backoff({ clock, random: () => r });
    const first = backoff.next();
    assert.ok(first >= 640 && first <= 960, `${first}`);
    for (let i = 0; i < 10; i++) assert.ok(backoff.next() <= 30_000);
  }
  const low = new Backoff({ clock, random: () => 0 }).next();
  const high = new Backoff({ clock, random: () => 0.999 }).next();
  assert.ok(high - low > 300, 'random actually spreads');
});

test('starts over after a healthy period', () => {
  const clock = new ManualClock();
  const backoff = new Backoff({ clock, random: () => 0.5, resetAfterMs: 60_000 });
  backoff.next();
  clock.advance(1000);
  assert.equal(backoff.next(), 1600);
  clock.advance(59_000);
  assert.equal(backoff.next(), 3200, 'still within the window');
  clock.advance(60_001);
  assert.equal(backoff.next(), 800);
  assert.equal(backoff.attempt, 1);
});
