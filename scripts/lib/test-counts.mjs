// Test results as the suites hand them back: a JSON file {"passed": N, "failed": N} written by the
// suite at the path in TETHER_TEST_RESULTS, and the closing line "N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';

export function readCounts(path) {
  if (!existsSync(path)) return undefined;
  const { passed, failed } = JSON.parse(readFileSync(path, 'utf8'));
  return { passed: Number(passed), failed: Number(failed) };
}

export function formatCounts({ passed, failed }) {
  return `${passed} passed, ${failed} failed`;
}
