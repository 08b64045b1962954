import { test } from 'node:test';
import assert from 'node:assert/strict';
import { msUntilAgeChanges, nextAgeChange, formatDuration } from '../../../src/ui/views/age';
import { AgeTicker } from '../../../src/ui/views/ageTicker';
import { ManualClock } from '../kube/manual-clock';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

test('an age is due to change when it would read differently, and not before', () => {
  for (const age of [0, 450, 45 * s, 119 * s + 300, 6 * m + 12 * s, 10 * m + 30 * s, 179 * m + 5 * s, 5 * h + 30 * m + 7 * s, 47 * h + 59 * m, 3 * d + 4 * h + 1, 400 * d + 3 * h, -5 * s]) {
    const wait = msUntilAgeChanges(age);
    assert.notEqual(formatDuration(age + wait), formatDuration(age), `${formatDuration(age)} changes after ${wait} ms`);
    assert.equal(formatDuration(age + wait - 1), formatDuration(age), `${formatDuration(age)} stays until ${wait} ms`);
  }
  assert.equal(msUntilAgeChanges(45 * s + 300), 700);
  assert.equal(msUntilAgeChanges(95 * m + 10 * s), 50 * s);
});

test('the soonest change among the ages shown', () => {
  const now = Date.parse('2026-12-07T06:43:30.250Z');
  assert.equal(nextAgeChange(['2026-12-07T05:00:00Z', '2026-12-07T06:43:00Z', undefined, 'garbage'], now), 750);
  assert.equal(nextAgeChange([undefined], now), undefined);
});

test('one timer for every part, only while active; a hidden view catches up when shown again', () => {
  const clock = new ManualClock();
  const due: string[][] = [];
  const ticker = new AgeTicker<string>((keys) => due.push(keys), clock);
  ticker.set('shop', 1000);
  ticker.set('ml', 60_000);
  assert.equal(clock.pendingTimers, 0, 'nothing runs while hidden');
  ticker.setActive(true);
  assert.equal(clock.pendingTimers, 1, 'one timer, for the earliest');
  clock.advance(1000);
  assert.deepEqual(due, [['shop']], 'only the part whose ages changed');
  ticker.set('shop', 1000);
  clock.advance(1000);
  assert.deepEqual(due, [['shop'], ['shop']]);
  ticker.setActive(false);
  assert.equal(clock.pendingTimers, 0);
  clock.advance(120_000);
  assert.deepEqual(due.length, 2, 'hidden: no ticks');
  ticker.setActive(true);
  assert.deepEqual(due.at(-1), ['ml'], 'shown again: what fell due meanwhile, at once');
  ticker.set('ml', undefined);
  assert.equal(clock.pendingTimers, 0, 'nothing shows an age: no timer');
  ticker.set('shop', 5000);
  ticker.dispose();
  assert.equal(clock.pendingTimers, 0);
});
