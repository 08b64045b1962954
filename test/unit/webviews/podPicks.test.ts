import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podPicks } from '../../../src/ui/webviews/podPicks';
import { sample, sampleItems } from '../ui/fixtures/samples';

test('palette rows: troubled pods first, each with its namespace and status', () => {
  const now = Date.parse('2026-11-22T02:00:00Z');
  const picks = podPicks([...sampleItems('pods-web-running'), sample('pod-gpu-too-big'), sample('pod-crashloop')], now);
  assert.equal(picks[0].label, 'crashloop');
  assert.match(picks[0].description, /^samples · CrashLoopBackOff · exit 3 · 0\/1 · 3 restarts · 2m16s$/);
  assert.equal(picks[1].label, 'gpu-too-big');
  assert.match(picks[1].description, /^samples · ⚡8 GPUs · Unschedulable/);
  assert.ok(picks.slice(2).every((p) => p.label.startsWith('web-')), JSON.stringify(picks.map((p) => p.label)));
  assert.deepEqual(
    picks.map((p) => [p.namespace, p.name]).slice(0, 2),
    [['samples', 'crashloop'], ['samples', 'gpu-too-big']],
  );
});
