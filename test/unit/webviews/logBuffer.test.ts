import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogBuffer, droppedMarker, highlightPieces, matchesSearch } from '../../../src/ui/webviews/logBuffer';

test('the buffer keeps the newest lines and says how many left the front', () => {
  const buffer = new LogBuffer(5);
  assert.deepEqual(buffer.append(['1', '2', '3']), { added: ['1', '2', '3'], removed: 0 });
  const r = buffer.append(['4', '5', '6', '7']);
  assert.deepEqual(r, { added: ['4', '5', '6', '7'], removed: 2 });
  assert.deepEqual(buffer.all(), ['3', '4', '5', '6', '7']);
  assert.equal(buffer.dropped, 2);
});

test('a batch bigger than the cap keeps only its tail; sender drops are counted too', () => {
  const buffer = new LogBuffer(3);
  buffer.append(['a']);
  const r = buffer.append(['1', '2', '3', '4', '5'], 10);
  assert.deepEqual(r.added, ['3', '4', '5']);
  assert.equal(r.removed, 1, 'the one line that was rendered before');
  assert.deepEqual(buffer.all(), ['3', '4', '5']);
  assert.equal(buffer.dropped, 10 + 2 + 1);
  buffer.clear();
  assert.equal(buffer.size, 0);
  assert.equal(buffer.dropped, 0);
});

test('5,000 lines at most, however many arrive', () => {
  const buffer = new LogBuffer(5000);
  let rendered = 0;
  for (let i = 0; i < 100; i++) {
    const { added, removed } = buffer.append(Array.from({ length: 137 }, (_, j) => `${i}:${j}`));
    rendered += added.length - removed;
    assert.equal(rendered, buffer.size, 'rendered lines track the buffer');
  }
  assert.equal(buffer.size, 5000);
  assert.equal(buffer.dropped, 13_700 - 5000);
  assert.equal(buffer.all().at(-1), '99:136');
});

test('the dropped marker', () => {
  assert.equal(droppedMarker(0), undefined);
  assert.match(droppedMarker(1) ?? '', /^1 older line dropped/);
  assert.match(droppedMarker(12345) ?? '', /^12,345 older lines dropped/);
});

test('search ignores case and highlights every match', () => {
  assert.equal(matchesSearch('Fatal: config missing', 'FATAL'), true);
  assert.equal(matchesSearch('starting', 'fatal'), false);
  assert.equal(matchesSearch('anything', ''), true);
  assert.deepEqual(highlightPieces('error: Error again', 'error'), [
    { text: 'error', hit: true },
    { text: ': ', hit: false },
    { text: 'Error', hit: true },
    { text: ' again', hit: false },
  ]);
  assert.deepEqual(highlightPieces('aaa', 'aa'), [{ text: 'aa', hit: true }, { text: 'a', hit: false }]);
  assert.deepEqual(highlightPieces('plain', ''), [{ text: 'plain', hit: false }]);
});
