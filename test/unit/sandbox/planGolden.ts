/** Golden-file support for planner tests: fixtures, parsed specs and the plan as reviewable YAML. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from '../../../src/kube/types';
import { sandboxAgentBuilder } from '../../../src/sandbox/agentObjects';
import type { SandboxPlan } from '../../../src/sandbox/plan';
import { parseSpec, type SandboxSpec } from '../../../src/sandbox/spec';

export const fixtures = join(__dirname, '../../fixtures/sandbox');

export function baselineOf(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(join(fixtures, file), 'utf8')).map((d) => d.toJS() as KubeObject);
}

export function specOf(file: string): SandboxSpec {
  const parsed = parseSpec(readFileSync(join(fixtures, file), 'utf8'));
  assert.deepEqual(parsed.diagnostics, []);
  assert.ok(parsed.spec);
  return parsed.spec;
}

/** The objects as kubectl reads YAML (1.1): strings such as "off", "yes" or "0755" stay quoted. */
const KUBECTL_YAML = { version: '1.1' } as const;

/** Compares `head` and the objects, as YAML documents, with `<name>.golden.yaml`; UPDATE_GOLDEN=1 rewrites the file. */
export function assertGoldenDocuments(name: string, head: Record<string, unknown>, objects: readonly unknown[]): void {
  const text = stringify(head) + '---\n' + objects.map((o) => stringify(o, KUBECTL_YAML)).join('---\n');
  const path = join(fixtures, `${name}.golden.yaml`);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, text);
  assert.equal(text, readFileSync(path, 'utf8'), `plan differs from ${name}.golden.yaml (UPDATE_GOLDEN=1 rewrites it)`);
}

/** Compares the plan with `<name>.golden.yaml`; UPDATE_GOLDEN=1 rewrites the file. */
export function assertGolden(name: string, plan: SandboxPlan): void {
  assertGoldenDocuments(name, { sandbox: plan.sandbox, namespace: plan.namespace, placement: plan.placement, entry: plan.entry, notes: plan.notes }, plan.objects);
}

/** The sandbox agent's builder as the editor makes it, with a stand-in bundle and token. */
export const agent = sandboxAgentBuilder({ agentScript: 'AGENT', token: 't0ken-0123456789abcdef' });
