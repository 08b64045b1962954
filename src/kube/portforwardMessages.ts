/**
 * Outgoing `v4.channel.k8s.io` messages: a channel byte followed by up to `maxPayload` bytes
 * gathered from the chunks written to the stream. Large messages take their buffers from a small
 * pool and return them once `ws` reports the message written, so a busy port-forward reuses a few warm buffers
 * instead of allocating (and page-faulting, and collecting) a fresh one per message.
 *
 * Each message starts 2 bytes past a 4-byte boundary: `ws` copies a masked payload of 64 KiB or
 * more to 14 bytes into a fresh buffer, so source and copy then share their alignment and the
 * masking (src/kube/wsMask.ts) XORs whole words from one into the other in a single pass.
 */

/** Where a message starts within its pooled buffer (see above). */
const MESSAGE_SHIFT = 2;

function noop(): void {}

export class MessagePool {
  private readonly free: Buffer[] = [];

  constructor(
    /** Largest payload of one message (the channel byte comes on top). */
    readonly maxPayload: number,
    /** Buffers kept for reuse; more may be out at once, the rest are left to the collector. */
    private readonly keep: number,
  ) {}

  /**
   * Packs `total` bytes of `chunks` into messages on `channel`, in order, and hands each to
   * `send` with a release function to call once the message has been written.
   */
  pack(chunks: readonly Buffer[], channel: number, send: (message: Buffer, release: () => void) => void): void {
    let total = 0;
    for (const c of chunks) total += c.length;
    let index = 0;
    let within = 0;
    for (let offset = 0; offset < total; ) {
      const size = Math.min(this.maxPayload, total - offset);
      // Small messages get buffers of their own size: a queue of them must not pin a pooled buffer each.
      const backing = size >= this.maxPayload / 4 ? this.take() : undefined;
      const message = backing ? backing.subarray(MESSAGE_SHIFT, MESSAGE_SHIFT + 1 + size) : Buffer.allocUnsafe(1 + size);
      message[0] = channel;
      let filled = 1;
      while (filled <= size) {
        const source = chunks[index];
        const n = source.copy(message, filled, within, Math.min(source.length, within + size + 1 - filled));
        filled += n;
        within += n;
        if (within === source.length) {
          index++;
          within = 0;
        }
      }
      offset += size;
      send(message, backing ? () => this.give(backing) : noop);
    }
  }

  /** Drops the pooled buffers (the stream is done). */
  clear(): void {
    this.free.length = 0;
  }

  private take(): Buffer {
    // allocUnsafeSlow: a buffer of its own (never a slice of Node's shared pool), so its start is word-aligned.
    return this.free.pop() ?? Buffer.allocUnsafeSlow(MESSAGE_SHIFT + 1 + this.maxPayload);
  }

  private give(backing: Buffer): void {
    if (this.free.length < this.keep) this.free.push(backing);
  }
}
