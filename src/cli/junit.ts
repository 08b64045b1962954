/**
 * A check run as a JUnit XML report, the format CI systems show as test results: one testsuite
 * for the sandbox, one testcase per check (failure with the reason and the end of its log,
 * skipped when cancelled). Pure.
 */
import type { ChecksResult } from '../engine/checks';

/** Text as XML character data: markup escaped, characters XML 1.0 cannot hold dropped. */
export function xmlText(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- the control characters XML 1.0 forbids are what this removes
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

export function junitReport(result: ChecksResult): string {
  const skipped = result.checks.filter((c) => c.state === 'cancelled' || c.state === 'pending').length;
  const cases = result.checks.map((c) => {
    const open = `    <testcase classname="tether.checks.${xmlText(result.sandbox)}" name="${xmlText(c.name)}" time="${seconds(c.durationMs)}">`;
    const body: string[] = [];
    if (c.state === 'failed') body.push(`      <failure message="${xmlText(c.reason ?? 'the check failed')}" type="CheckFailed">${xmlText(c.log ?? '')}</failure>`);
    else if (c.state !== 'passed') body.push(`      <skipped message="${xmlText(c.reason ?? 'not run')}"/>`);
    if (c.log && c.state === 'passed') body.push(`      <system-out>${xmlText(c.log)}</system-out>`);
    return body.length ? [open, ...body, '    </testcase>'].join('\n') : `${open}</testcase>`;
  });
  const counts = `tests="${result.checks.length}" failures="${result.failed}" errors="0" skipped="${skipped}" time="${seconds(result.durationMs)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="tether checks" ${counts}>`,
    `  <testsuite name="sandbox ${xmlText(result.sandbox)}" ${counts}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
