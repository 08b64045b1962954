import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient } from '../../../src/kube/api';
import { ExplainedError } from '../../../src/kube/errors';
import type { KubeObject } from '../../../src/kube/types';
import type { CheckResult } from '../../../src/sandbox/checks/checkRun';
import { runCheckSuite, type CheckProgress, type RunOne } from '../../../src/sandbox/checks/checkSuite';
import type { SandboxPlan } from '../../../src/sandbox/plan';
import type { CheckSpec } from '../../../src/sandbox/spec';

const client = {} as KubeClient;
const plan = { sandbox: 'jane-main', namespace: 'jane-main' } as SandboxPlan;
const lease: KubeObject = { metadata: { name: 'tether-sandbox', uid: 'u1', resourceVersion: '1' } };
const check = (name: string): CheckSpec => ({ name, image: 'busybox', command: ['true'], env: {}, timeoutSeconds: 60 });

/** A runner whose checks finish when the test says so, recording how many run at once. */
function controlledRunner() {
  const waiting = new Map<string, { resolve: (r: CheckResult) => void; reject: (e: unknown) => void }>();
  let active = 0;
  let peak = 0;
  const started: string[] = [];
  const run: RunOne = (_c, _p, spec, options) =>
    new Promise<CheckResult>((resolve, reject) => {
      active++;
      peak = Math.max(peak, active);
      started.push(spec.name);
      const done = () => active--;
      options.signal?.addEventListener('abort', () => {
        done();
        reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      });
      waiting.set(spec.name, { resolve: (r) => (done(), resolve(r)), reject: (e) => (done(), reject(e)) });
    });
  return { run, waiting, started, peak: () => peak };
}

const tick = () => new Promise((r) => setImmediate(r));

test('runs at most `concurrency` checks at once, in order, and reports every state change', async () => {
  const r = controlledRunner();
  const updates: CheckProgress[] = [];
  const suite = runCheckSuite(client, plan, [check('a'), check('b'), check('c')], { lease, concurrency: 2, runId: 'r1', run: r.run, onUpdate: (p) => updates.push(p) });
  await tick();
  assert.deepEqual(r.started, ['a', 'b']);
  r.waiting.get('b')!.resolve({ name: 'b', job: 'check-b-r1', passed: false, durationMs: 40, reason: 'the check exited with code 3', log: 'fatal\n' });
  await tick();
  assert.deepEqual(r.started, ['a', 'b', 'c']);
  r.waiting.get('a')!.resolve({ name: 'a', job: 'check-a-r1', passed: true, durationMs: 50, log: 'ok\n' });
  r.waiting.get('c')!.reject(new ExplainedError({ reason: 'Forbidden', what: 'Apply Job "check-c-r1"', why: 'you may not create Jobs', remedy: 'Ask for a Role' }));
  const result = await suite;
  assert.equal(r.peak(), 2);
  assert.equal(result.runId, 'r1');
  assert.deepEqual(result.checks.map((c) => c.state), ['passed', 'failed', 'failed']);
  assert.equal(result.passed, 1);
  assert.equal(result.failed, 2);
  assert.equal(result.cancelled, false);
  assert.equal(result.checks[1].reason, 'the check exited with code 3');
  assert.equal(result.checks[1].log, 'fatal\n');
  assert.match(result.checks[2].reason ?? '', /you may not create Jobs/);
  assert.deepEqual(updates.map((u) => `${u.name}:${u.state}`), ['a:running', 'b:running', 'b:failed', 'c:running', 'a:passed', 'c:failed']);
});

test('aborting cancels the running checks and never starts the pending ones', async () => {
  const r = controlledRunner();
  const abort = new AbortController();
  const suite = runCheckSuite(client, plan, [check('a'), check('b'), check('c')], { lease, concurrency: 1, run: r.run, signal: abort.signal });
  await tick();
  abort.abort();
  const result = await suite;
  assert.deepEqual(r.started, ['a']);
  assert.deepEqual(result.checks.map((c) => c.state), ['cancelled', 'cancelled', 'cancelled']);
  assert.equal(result.cancelled, true);
  assert.equal(result.passed + result.failed, 0);
});

test('an empty suite finishes at once', async () => {
  const result = await runCheckSuite(client, plan, [], { lease, run: () => Promise.reject(new Error('not called')) });
  assert.deepEqual(result.checks, []);
  assert.equal(result.cancelled, false);
});
