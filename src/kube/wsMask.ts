/**
 * WebSocket payload masking (RFC 6455 §5.3) a word at a time, with the interface of the optional
 * native `bufferutil` package that `ws` looks for. The bundle aliases `bufferutil` to this file
 * (esbuild.mjs): without it, `ws` masks every byte our client sends, and unmasks every byte a
 * server receives, in a byte-by-byte JavaScript loop, which was the tunnel's slowest step.
 *
 * The masking key stays the random one `ws` draws per frame; only the XOR is faster. Words are
 * XORed through Int32Array views over the 4-byte-aligned middle of a buffer, with the key rotated
 * to the position where that middle starts; the unaligned head and tail go byte by byte.
 */

/** Below this many bytes the byte loop is as fast as setting up word views. */
const WORD_THRESHOLD = 32;

const keyBytes = new Uint8Array(4);
const keyWords = new Int32Array(keyBytes.buffer);

/** The masking key as the 32-bit word (in the platform's byte order) over payload bytes `start`..`start + 3`. */
function keyWord(mask: Uint8Array, start: number): number {
  for (let j = 0; j < 4; j++) keyBytes[j] = mask[(start + j) & 3];
  return keyWords[0];
}

/** `out[w] = input[w] ^ key` for every word (in place when both are the same view). */
function xorWords(out: Int32Array, input: Int32Array, key: number): void {
  const words = out.length;
  let w = 0;
  // Unrolled by four: about 1.5x the plain loop in V8, whose bounds checks then amortise better.
  for (const end = words - 3; w < end; w += 4) {
    out[w] = input[w] ^ key;
    out[w + 1] = input[w + 1] ^ key;
    out[w + 2] = input[w + 2] ^ key;
    out[w + 3] = input[w + 3] ^ key;
  }
  for (; w < words; w++) out[w] = input[w] ^ key;
}

/** Leading bytes of `view` before its first 4-byte-aligned address. */
function headLength(view: Uint8Array): number {
  return (4 - (view.byteOffset & 3)) & 3;
}

/** XORs `buffer` in place with the 4-byte `mask`, repeated from `buffer[0]` on. */
function xorInPlace(buffer: Uint8Array, mask: Uint8Array): void {
  const length = buffer.length;
  if (length < WORD_THRESHOLD) {
    for (let i = 0; i < length; i++) buffer[i] ^= mask[i & 3];
    return;
  }
  const head = headLength(buffer);
  for (let i = 0; i < head; i++) buffer[i] ^= mask[i & 3];
  const words = (length - head) >>> 2;
  const view = new Int32Array(buffer.buffer, buffer.byteOffset + head, words);
  xorWords(view, view, keyWord(mask, head));
  for (let i = head + words * 4; i < length; i++) buffer[i] ^= mask[i & 3];
}

/** XORs `length` bytes of `source` with `mask` into `output` at `offset` (the `bufferutil` mask). */
export function mask(source: Uint8Array, mask: Uint8Array, output: Uint8Array, offset: number, length: number): void {
  const target = output.subarray(offset, offset + length);
  const from = source.subarray(0, length);
  if (length < WORD_THRESHOLD || headLength(from) !== headLength(target)) {
    // Misaligned relative to each other: one native copy, then the word-wise pass in place.
    if (from.buffer !== target.buffer || from.byteOffset !== target.byteOffset) target.set(from);
    xorInPlace(target, mask);
    return;
  }
  const head = headLength(from);
  for (let i = 0; i < head; i++) target[i] = from[i] ^ mask[i & 3];
  const words = (length - head) >>> 2;
  const input = new Int32Array(from.buffer, from.byteOffset + head, words);
  const out = new Int32Array(target.buffer, target.byteOffset + head, words);
  xorWords(out, input, keyWord(mask, head));
  for (let i = head + words * 4; i < length; i++) target[i] = from[i] ^ mask[i & 3];
}

/** XORs `buffer` with `mask` in place (the `bufferutil` unmask). */
export function unmask(buffer: Uint8Array, mask: Uint8Array): void {
  xorInPlace(buffer, mask);
}
