// The JUnit report `tether checks run --junit` writes for CI systems: one testcase per check, a
// failure with the reason and the end of the log, skipped for checks a cancelled run never
// finished, counts that add up, and text that stays well-formed XML whatever a log holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { junitReport, xmlText } from '../../../src/cli/junit';
import type { ChecksResult } from '../../../src/engine/checks';

test('xmlText escapes markup and drops what XML 1.0 cannot hold, keeping tabs, newlines and any character', () => {
  assert.equal(xmlText('a < b && c > "d"'), 'a &lt; b &amp;&amp; c &gt; &quot;d&quot;');
  assert.equal(xmlText('\x1b[31mred\x1b[0m\x00\x07'), '[31mred[0m');
  assert.equal(xmlText('line 1\n\tline 2\r\n'), 'line 1\n\tline 2\r\n');
  assert.equal(xmlText('ok ✓ 🚀'), 'ok ✓ 🚀');
});

test('one testcase per check: passed with its log, failed with the reason and log, cancelled and pending skipped', () => {
  const result: ChecksResult = {
    sandbox: 'pr-42',
    namespace: 'pr-42',
    runId: 'r1',
    passed: 1,
    failed: 1,
    cancelled: true,
    durationMs: 12_345,
    checks: [
      { name: 'smoke', state: 'passed', durationMs: 1500, log: 'GET / 200' },
      { name: 'contract', state: 'failed', durationMs: 2000, reason: 'the check exited with code 3', log: 'fatal: <config> missing & more' },
      { name: 'load', state: 'cancelled', reason: 'the run was cancelled' },
      { name: 'late', state: 'pending' },
    ],
  };
  const xml = junitReport(result);
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="tether checks" tests="4" failures="1" errors="0" skipped="2" time="12\.345">\n {2}<testsuite name="sandbox pr-42" tests="4" failures="1" errors="0" skipped="2" time="12\.345">\n/);
  assert.match(xml, /<testcase classname="tether\.checks\.pr-42" name="smoke" time="1\.500">\n {6}<system-out>GET \/ 200<\/system-out>\n {4}<\/testcase>/);
  assert.match(xml, /<testcase classname="tether\.checks\.pr-42" name="contract" time="2\.000">\n {6}<failure message="the check exited with code 3" type="CheckFailed">fatal: &lt;config&gt; missing &amp; more<\/failure>\n {4}<\/testcase>/);
  assert.match(xml, /<testcase classname="tether\.checks\.pr-42" name="load" time="0\.000">\n {6}<skipped message="the run was cancelled"\/>/);
  assert.match(xml, /<testcase classname="tether\.checks\.pr-42" name="late" time="0\.000">\n {6}<skipped message="not run"\/>/);
  assert.match(xml, /<\/testsuite>\n<\/testsuites>\n$/);
  // Every element opened is closed, in order.
  const stack: string[] = [];
  for (const [, close, name, selfClosing] of xml.matchAll(/<(\/?)([a-z-]+)[^>]*?(\/?)>/g)) {
    if (selfClosing) continue;
    if (close) assert.equal(stack.pop(), name);
    else stack.push(name);
  }
  assert.deepEqual(stack, []);
});

test('a run with no checks is an empty suite, not a malformed one', () => {
  const xml = junitReport({ sandbox: 's', namespace: 'n', runId: 'r', passed: 0, failed: 0, cancelled: false, durationMs: 0, checks: [] });
  assert.match(xml, /<testsuite name="sandbox s" tests="0" failures="0" errors="0" skipped="0" time="0\.000">\n {2}<\/testsuite>/);
});
