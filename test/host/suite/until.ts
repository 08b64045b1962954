/** Polling for a condition the tests wait on, with the last error in the failure message. */

/**
 * Calls `probe` every 150 ms (each time after `settle`, when given) until it returns a value, or
 * fails after `timeoutMs` naming `what` and the last error of either.
 */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000, settle?: () => Promise<void>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    if (settle) await settle().catch((err: unknown) => { last = err; });
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last: ${last instanceof Error ? last.message : String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
