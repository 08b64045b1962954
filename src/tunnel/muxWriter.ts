/**
 * The Mux's outgoing side: frames queue up and go out in one corked batch (a single writev on a
 * socket): at once for control frames and small data, at the end of the event loop's round of I/O
 * once bulk data is queued. Data frames are a 9-byte header plus the caller's payload, never copied.
 * Tracks the connection's backpressure and wakes the streams that waited for 'drain'.
 */
import type { Duplex } from 'node:stream';
import type { Disposable } from '../lifecycle';
import { encodeDataHeader, encodeFrame } from './codec';
import type { Frame } from './protocol';

/** A data payload at least this big is bulk transfer rather than an interactive exchange. */
const BULK_BYTES = 16 * 1024;
/** Bytes one coalesced batch may hold before it is written. */
const MAX_BATCH_BYTES = 1024 * 1024;

export interface DrainWaiter {
  flushWrite(): void;
}

export class FrameWriter implements Disposable {
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private flushScheduled = false;
  private closed = false;
  private readonly waiters = new Set<DrainWaiter>();
  private readonly onDrain = () => this.drained();
  private readonly flushQueued = () => this.flush();
  /** True while the connection asks writers to wait for 'drain'. */
  congested = false;
  bytesOut = 0;

  constructor(private readonly connection: Duplex) {
    connection.on('drain', this.onDrain);
  }

  writeFrame(frame: Frame): void {
    if (this.closed) return;
    this.enqueue(encodeFrame(frame));
    this.schedule(false);
  }

  writeData(stream: number, payload: Buffer): void {
    if (this.closed) return;
    this.enqueue(encodeDataHeader(stream, payload.length));
    this.enqueue(payload);
    this.schedule(payload.length >= BULK_BYTES);
  }

  waitForDrain(waiter: DrainWaiter): void {
    this.waiters.add(waiter);
  }

  forget(waiter: DrainWaiter): void {
    this.waiters.delete(waiter);
  }

  /** Writes everything queued now, in one corked batch. */
  flush(): void {
    this.flushScheduled = false;
    const queue = this.queue;
    if (queue.length === 0 || this.connection.destroyed || this.connection.writableEnded) return;
    this.queue = [];
    this.queuedBytes = 0;
    let ok = true;
    if (queue.length === 1) ok = this.connection.write(queue[0]);
    else {
      this.connection.cork();
      for (const buffer of queue) ok = this.connection.write(buffer);
      this.connection.uncork();
    }
    if (!ok) this.congested = true;
  }

  /** Flushes what is queued (unless `discard`) and accepts nothing more. */
  dispose(discard = false): void {
    if (this.closed) return;
    if (discard) {
      this.queue = [];
      this.queuedBytes = 0;
    }
    else this.flush();
    this.closed = true;
    this.waiters.clear();
    this.connection.off('drain', this.onDrain);
  }

  private enqueue(buffer: Buffer): void {
    this.queue.push(buffer);
    this.queuedBytes += buffer.length;
    this.bytesOut += buffer.length;
  }

  /**
   * Small frames go out at once (in a microtask). Bulk data waits for the end of this round of
   * I/O, so the chunks of every socket read in it leave in one write: fewer syscalls and wake-ups
   * downstream. A batch that reaches MAX_BATCH_BYTES goes out right away, which bounds the memory
   * a round can hold and lets the streams see congestion early.
   */
  private schedule(bulk: boolean): void {
    if (this.queuedBytes >= MAX_BATCH_BYTES) return this.flush();
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    if (bulk) setImmediate(this.flushQueued);
    else queueMicrotask(this.flushQueued);
  }

  private drained(): void {
    this.congested = false;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const waiter of waiters) {
      if (this.congested) this.waiters.add(waiter);
      else waiter.flushWrite();
    }
  }
}
