/**
 * The webview's log: at most `cap` lines, oldest dropped first and counted for the "older lines
 * dropped" marker, plus the search that filters and highlights them. Pure (no DOM), so the
 * webview script renders from it and node:test checks it.
 */

export interface AppendResult {
  /** Lines now at the end of the buffer (the ones to render). */
  added: readonly string[];
  /** How many lines left the front of the buffer (the ones to unrender). */
  removed: number;
}

export class LogBuffer {
  private lines: string[] = [];
  private droppedCount = 0;

  constructor(readonly cap: number) {
    if (!(cap > 0)) throw new RangeError('cap must be positive');
  }

  get size(): number {
    return this.lines.length;
  }

  /** Lines dropped so far: by the cap here and, before they arrived, by the sender. */
  get dropped(): number {
    return this.droppedCount;
  }

  all(): readonly string[] {
    return this.lines;
  }

  /** Appends a batch; `droppedBefore` are lines the sender dropped ahead of it. */
  append(batch: readonly string[], droppedBefore = 0): AppendResult {
    this.droppedCount += droppedBefore;
    // A batch bigger than the cap keeps only its newest lines.
    const added = batch.length > this.cap ? batch.slice(batch.length - this.cap) : batch;
    this.droppedCount += batch.length - added.length;
    const before = this.lines.length;
    for (const line of added) this.lines.push(line);
    const overflow = this.lines.length - this.cap;
    let removed = 0;
    if (overflow > 0) {
      this.lines.splice(0, overflow);
      this.droppedCount += overflow;
      removed = Math.min(overflow, before);
    }
    return { added, removed };
  }

  clear(): void {
    this.lines = [];
    this.droppedCount = 0;
  }
}

/** The marker above the log once lines were dropped, e.g. "1,204 older lines dropped". */
export function droppedMarker(dropped: number): string | undefined {
  if (dropped <= 0) return undefined;
  return `${dropped.toLocaleString('en-US')} older line${dropped === 1 ? '' : 's'} dropped (the panel keeps the newest)`;
}

export interface Piece {
  text: string;
  hit: boolean;
}

/** True when `line` contains `query`, ignoring case; an empty query matches everything. */
export function matchesSearch(line: string, query: string): boolean {
  return query.length === 0 || line.toLowerCase().includes(query.toLowerCase());
}

/** `line` cut into plain and matching pieces, for highlighting. */
export function highlightPieces(line: string, query: string): Piece[] {
  if (query.length === 0) return [{ text: line, hit: false }];
  const lower = line.toLowerCase();
  const needle = query.toLowerCase();
  const pieces: Piece[] = [];
  let at = 0;
  for (let i = lower.indexOf(needle); i !== -1; i = lower.indexOf(needle, i + needle.length)) {
    if (i > at) pieces.push({ text: line.slice(at, i), hit: false });
    pieces.push({ text: line.slice(i, i + needle.length), hit: true });
    at = i + needle.length;
  }
  if (at < line.length) pieces.push({ text: line.slice(at), hit: false });
  return pieces.length ? pieces : [{ text: line, hit: false }];
}
