import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogBatcher, type BatchTimer } from '../../../src/ui/webviews/logBatcher';

/** A timer the test fires by hand. */
class ManualTimer implements BatchTimer {
  private pending: Array<{ at: number; fn: () => void; live: boolean }> = [];
  now = 0;
  after(ms: number, fn: () => void) {
    const entry = { at: this.now + ms, fn, live: true };
    this.pending.push(entry);
    return { dispose: () => void (entry.live = false) };
  }
  get armed(): number {
    return this.pending.filter((p) => p.live).length;
  }
  advance(ms: number): void {
    this.now += ms;
    const due = this.pending.filter((p) => p.live && p.at <= this.now);
    this.pending = this.pending.filter((p) => p.live && p.at > this.now);
    for (const p of due) p.fn();
  }
}

function setup(maxLines = 5000) {
  const timer = new ManualTimer();
  const sent: Array<{ lines: string[]; dropped: number }> = [];
  const batcher = new LogBatcher((lines, dropped) => sent.push({ lines, dropped }), { intervalMs: 100, maxLines, timer });
  return { timer, sent, batcher };
}

test('lines arriving within 100 ms go out as one batch', () => {
  const { timer, sent, batcher } = setup();
  batcher.push(['a']);
  timer.advance(40);
  batcher.push(['b', 'c']);
  assert.equal(sent.length, 0);
  assert.equal(timer.armed, 1);
  timer.advance(60);
  assert.deepEqual(sent, [{ lines: ['a', 'b', 'c'], dropped: 0 }]);
  timer.advance(500);
  assert.equal(sent.length, 1, 'nothing more to send');
  assert.equal(timer.armed, 0);
});

test('a flood is capped: only the newest lines go out, the rest are counted as dropped', () => {
  const { timer, sent, batcher } = setup(1000);
  for (let i = 0; i < 50; i++) batcher.push(Array.from({ length: 1000 }, (_, j) => `line ${i * 1000 + j}`));
  assert.ok(batcher.waiting <= 1000);
  timer.advance(100);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].lines.length, 1000);
  assert.equal(sent[0].lines[0], 'line 49000');
  assert.equal(sent[0].lines.at(-1), 'line 49999');
  assert.equal(sent[0].dropped, 49_000);
});

test('paused: nothing is sent; the newest lines wait and go out on resume', () => {
  const { timer, sent, batcher } = setup(3);
  batcher.setPaused(true);
  batcher.push(['1', '2']);
  batcher.push(['3', '4', '5']);
  timer.advance(1000);
  assert.deepEqual(sent, []);
  batcher.flush();
  assert.deepEqual(sent, [], 'flush does not send while paused');
  batcher.setPaused(false);
  timer.advance(100);
  assert.deepEqual(sent, [{ lines: ['3', '4', '5'], dropped: 2 }]);
});

test('clear forgets what waits (switching logs); dispose stops for good', () => {
  const { timer, sent, batcher } = setup();
  batcher.push(['old']);
  batcher.clear();
  timer.advance(100);
  assert.deepEqual(sent, []);
  batcher.push(['new']);
  batcher.flush();
  assert.deepEqual(sent, [{ lines: ['new'], dropped: 0 }]);
  batcher.dispose();
  batcher.push(['late']);
  timer.advance(100);
  assert.equal(sent.length, 1);
  assert.equal(timer.armed, 0);
});
