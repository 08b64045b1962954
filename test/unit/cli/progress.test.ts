// Progress on stderr: on a terminal one line that redraws (a spinner) and is cleared when done,
// with lasting lines above it; otherwise plain lines, each message once, as CI logs keep them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Progress } from '../../../src/cli/progress';

/** stderr as written, the escape character shown as <ESC>. */
function stderr(isTTY: boolean) {
  const io = { text: '', errIsTTY: isTTY, err: (t: string) => void (io.text += t.replaceAll('\x1b', '<ESC>')) };
  return io;
}

test('not a terminal: one plain line per new message, lasting notes as lines, nothing to clear', () => {
  const io = stderr(false);
  const progress = new Progress(io);
  progress.update('Applying sandbox "pr-1"…');
  progress.update('Applying sandbox "pr-1"…');
  progress.update('Waiting for the forks to be ready…');
  progress.note('PASS  smoke in 1.2 s');
  progress.dispose();
  assert.equal(io.text, 'Applying sandbox "pr-1"…\nWaiting for the forks to be ready…\nPASS  smoke in 1.2 s\n');
  assert.ok(!io.text.includes('<ESC>'), 'no terminal control sequences in a log');
});

test('a terminal: the message redrawn on one line with a spinner, notes above it, the line cleared at the end', () => {
  const io = stderr(true);
  const progress = new Progress(io);
  progress.update('Applying sandbox "pr-1"…');
  assert.match(io.text, /^\r<ESC>\[2K\S Applying sandbox "pr-1"…$/);
  io.text = '';
  progress.note('PASS  smoke in 1.2 s');
  assert.match(io.text, /^\r<ESC>\[2KPASS {2}smoke in 1\.2 s\n\r<ESC>\[2K\S Applying sandbox "pr-1"…$/, 'cleared, the note, the spinner again');
  io.text = '';
  progress.update('Waiting for the forks to be ready…');
  assert.match(io.text, /^\r<ESC>\[2K\S Waiting for the forks to be ready…$/);
  io.text = '';
  progress.dispose();
  assert.equal(io.text, '\r<ESC>[2K', 'the spinner line is gone; results follow on a clean line');
  progress.dispose();
  assert.equal(io.text, '\r<ESC>[2K', 'disposing twice clears once');
});
