/**
 * Checks for the check tests, run by the relay image (it has `node`) so that they run the same on
 * the simulator's pod runtime and on a real cluster: one that passes after looking at the preview
 * URL it was given, one that fails the way a verifier does, and one that takes a minute.
 */
import type { CheckSpec } from '../../../src/sandbox/spec';

export function checkCommands(image: string): Record<'smoke' | 'contract' | 'load', CheckSpec> {
  const node = (code: string) => ['node', '-e', code];
  return {
    smoke: {
      name: 'smoke',
      image,
      command: node("const url = process.env.TETHER_PREVIEW_URL; if (!url) { console.error('no TETHER_PREVIEW_URL'); process.exit(1); } console.log('checking', url); console.log('done');"),
      env: {},
      timeoutSeconds: 60,
    },
    contract: { name: 'contract', image, command: node("console.log('verifying'); console.error('fatal: config missing'); process.exit(3);"), env: {}, timeoutSeconds: 60 },
    load: { name: 'load', image, command: node("console.log('load test running'); setTimeout(() => console.log('done'), 60_000);"), env: {}, timeoutSeconds: 120 },
  };
}
