import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient } from '../../../src/kube/api';
import { silentLogger } from '../../../src/kube/logger';
import type { KubeObject } from '../../../src/kube/types';
import type { CheckResult } from '../../../src/sandbox/checks/checkRun';
import type { RunOne } from '../../../src/sandbox/checks/checkSuite';
import type { SandboxPlan } from '../../../src/sandbox/plan';
import type { CheckSpec } from '../../../src/sandbox/spec';
import type { BatchTimer } from '../../../src/ui/webviews/logBatcher';
import { maxCheckLogLines, type HostMessage } from '../../../src/ui/webviews/sandboxDashboardProtocol';
import { CheckRuns, type CheckRunTarget } from '../../../src/ui/webviews/sandboxDashboardRun';

type LogMessage = Extract<HostMessage, { type: 'checkLog' }>;

const check = (name: string): CheckSpec => ({ name, image: 'busybox', command: ['true'], env: {}, timeoutSeconds: 60 });
const lease: KubeObject = { metadata: { name: 'tether-sandbox', uid: 'u1', resourceVersion: '1' } };
const target = (checks: CheckSpec[]): CheckRunTarget => ({ client: {} as KubeClient, plan: { sandbox: 'jane-main', namespace: 'jane-main' } as SandboxPlan, lease, checks });

/** A timer the test fires by hand. */
function manualTimer() {
  const due: (() => void)[] = [];
  const timer: BatchTimer = {
    after(_ms, fn) {
      due.push(fn);
      return {
        dispose: () => {
          const i = due.indexOf(fn);
          if (i >= 0) due.splice(i, 1);
        },
      };
    },
  };
  return { timer, fire: () => due.splice(0).forEach((fn) => fn()) };
}

/** Checks that pass or fail by name, with a log; "slow" ones wait for the signal. */
const runner: RunOne = (_c, _p, spec, options) =>
  new Promise<CheckResult>((resolve, reject) => {
    if (spec.name.startsWith('slow')) {
      options.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
      return;
    }
    const passed = !spec.name.startsWith('bad');
    const log = spec.name === 'chatty' ? Array.from({ length: maxCheckLogLines + 5 }, (_, i) => `line ${i}`).join('\n') : `${spec.name} says hi\n`;
    resolve({ name: spec.name, job: `check-${spec.name}-${options.runId}`, passed, durationMs: 10, log, ...(passed ? {} : { reason: 'the check exited with code 1' }) });
  });

function setup(checks: CheckSpec[], prepare?: () => Promise<CheckRunTarget>) {
  const posted: LogMessage[] = [];
  let listening = true;
  let changes = 0;
  const { timer, fire } = manualTimer();
  let clock = 1_000;
  const runs = new CheckRuns('jane-main', {
    prepare: prepare ?? (() => Promise.resolve(target(checks))),
    post: (m) => (listening ? (posted.push(m), true) : false),
    changed: () => changes++,
    logger: silentLogger,
    run: runner,
    timer,
    now: () => clock++,
  });
  return { runs, posted, fire, changes: () => changes, setListening: (v: boolean) => (listening = v) };
}

test('a run reports progress, and each finished check\'s log goes out in batches for that run', async () => {
  const s = setup([check('smoke'), check('bad-contract')]);
  const first = s.runs.start();
  assert.equal(s.runs.start(), first, 'asking again joins the run in progress');
  assert.equal(s.runs.running, true);
  const result = await first;
  assert.equal(s.runs.running, false);
  assert.deepEqual(result.checks.map((c) => c.state), ['passed', 'failed']);
  assert.deepEqual(s.runs.progress.map((c) => `${c.name}:${c.state}`), ['smoke:passed', 'bad-contract:failed']);
  assert.deepEqual(s.runs.checks.map((c) => c.name), ['smoke', 'bad-contract']);
  assert.ok(s.changes() >= 4);
  assert.equal(s.posted.length, 0, 'nothing is posted before the batch interval');
  s.fire();
  const runId = s.runs.runId;
  assert.ok(runId);
  assert.deepEqual(s.posted.sort((a, b) => a.check.localeCompare(b.check)), [
    { type: 'checkLog', runId, check: 'bad-contract', lines: ['bad-contract says hi'], dropped: 0 },
    { type: 'checkLog', runId, check: 'smoke', lines: ['smoke says hi'], dropped: 0 },
  ]);
});

test('a reloaded webview gets the last run\'s logs again; a hidden one gets nothing meanwhile', async () => {
  const s = setup([check('smoke')]);
  await s.runs.start();
  s.setListening(false);
  s.runs.stopLogs();
  s.fire();
  assert.equal(s.posted.length, 0);
  s.setListening(true);
  s.runs.resendLogs();
  s.fire();
  assert.deepEqual(s.posted.map((m) => [m.check, m.lines]), [['smoke', ['smoke says hi']]]);
});

test('a long log is capped: the newest lines go out and the dropped ones are counted', async () => {
  const s = setup([check('chatty')]);
  await s.runs.start();
  s.fire();
  assert.equal(s.posted.length, 1);
  assert.equal(s.posted[0].lines.length, maxCheckLogLines);
  assert.equal(s.posted[0].dropped, 5);
  assert.equal(s.posted[0].lines.at(-1), `line ${maxCheckLogLines + 4}`);
});

test('a run that cannot start says why and keeps the last run\'s results', async () => {
  let refuse = false;
  const s = setup([], () => (refuse ? Promise.reject(new Error('Run the checks: the preview is not running')) : Promise.resolve(target([check('smoke')]))));
  await s.runs.start();
  const runId = s.runs.runId;
  refuse = true;
  await assert.rejects(s.runs.start(), /not running/);
  assert.equal(s.runs.notice, 'Run the checks: the preview is not running');
  assert.equal(s.runs.runId, runId);
  assert.deepEqual(s.runs.logOf('smoke'), ['smoke says hi']);
  assert.equal(s.runs.running, false);
});

test('cancelling, or closing the dashboard, stops the run in progress', async () => {
  const s = setup([check('slow-load'), check('smoke')]);
  const done = s.runs.start();
  await new Promise((r) => setImmediate(r));
  s.runs.dispose();
  const result = await done;
  assert.equal(result.cancelled, true);
  assert.equal(result.checks.find((c) => c.name === 'slow-load')?.state, 'cancelled');
  await assert.rejects(s.runs.start(), /closed/);
});
