/**
 * Splits a chunked byte stream into lines without re-scanning or concatenating chunks more than
 * needed: each chunk is searched once for '\n', and only a line that spans chunks is joined.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes = 64 * 1024 * 1024) {}

  /** Calls `onLine` for every complete, non-empty line in `chunk` (plus what came before it). */
  push(chunk: Buffer, onLine: (line: string) => void): void {
    let start = 0;
    let newline = chunk.indexOf(10, start);
    while (newline !== -1) {
      let line: string;
      if (this.pending.length > 0) {
        this.pending.push(chunk.subarray(start, newline));
        line = Buffer.concat(this.pending).toString('utf8');
        this.pending = [];
        this.pendingBytes = 0;
      } else {
        line = chunk.toString('utf8', start, newline);
      }
      if (line.length > 0 && line !== '\r') onLine(line);
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    if (start < chunk.length) {
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.maxLineBytes) {
        this.pending = [];
        this.pendingBytes = 0;
        throw new Error(`a line longer than ${this.maxLineBytes} bytes`);
      }
      this.pending.push(start === 0 ? chunk : chunk.subarray(start));
    }
  }

  /** The unterminated rest, if any (a stream that ended without a final newline). */
  flush(onLine: (line: string) => void): void {
    if (this.pending.length === 0) return;
    const line = Buffer.concat(this.pending).toString('utf8');
    this.pending = [];
    this.pendingBytes = 0;
    if (line.trim().length > 0) onLine(line);
  }
}
