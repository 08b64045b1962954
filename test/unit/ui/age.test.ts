import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAge, formatDuration } from '../../../src/ui/views/age';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

test('durations read like kubectl', () => {
  const cases: Array<[number, string]> = [
    [0, '0s'],
    [-5 * s, '0s'],
    [45 * s, '45s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [6 * m + 12 * s, '6m12s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [5 * h + 30 * m, '5h30m'],
    [8 * h + 59 * m, '8h'],
    [47 * h, '47h'],
    [3 * d + 4 * h, '3d4h'],
    [7 * d, '7d'],
    [9 * d + 5 * h, '9d'],
    [400 * d, '400d'],
    [3 * 365 * d + 20 * d, '3y20d'],
    [9 * 365 * d, '9y'],
  ];
  for (const [ms, want] of cases) assert.equal(formatDuration(ms), want, `${ms} ms`);
});

test('ages from timestamps', () => {
  const now = Date.parse('2026-11-22T02:00:00Z');
  assert.equal(formatAge('2026-11-22T01:58:57Z', now), '63s');
  assert.equal(formatAge('2026-11-20T02:00:00Z', now), '2d');
  assert.equal(formatAge(undefined, now), undefined);
  assert.equal(formatAge('yesterday', now), undefined);
});
