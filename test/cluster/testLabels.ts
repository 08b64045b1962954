/**
 * How the cluster-facing tests mark what they create: Tether's own ownership labels (so nothing
 * without them is ever touched) plus the suite and the run, so leftovers can be found by label.
 */
import { randomBytes } from 'node:crypto';
import { managedByLabel, managedByValue, ownerLabel, sandboxLabel } from '../../src/sandbox/labels';

/** The `tether.dev/owner` of every namespace the fixture creates. */
export const testOwner = 'tether-test';
export const testSuiteLabel = 'tether.dev/test-suite';
export const testRunLabel = 'tether.dev/test-run';
/** Prefix of every namespace the fixture creates; sandboxes made by the tests take their baseline from one. */
export const testNamespacePrefix = 'tether-test-';

/** Selector for the fixture's namespaces: of one run, or of every run. */
export function testNamespaceSelector(run?: string): string {
  return `${managedByLabel}=${managedByValue},${ownerLabel}=${testOwner}${run ? `,${testRunLabel}=${run}` : ''}`;
}

/**
 * A developer name for sandboxes a test makes: `<name>-test<run>`. Tether puts it (as a slug) in the
 * owner label of the sandbox's objects, which is how cleanup finds them.
 */
export function testDeveloper(name: string, run: string): string {
  return `${name}-test${run}`;
}

/** The run of a test developer's owner label, or undefined for everybody else's. */
export function runOfOwner(owner: string | undefined): string | undefined {
  return /-test([0-9a-f]{6})$/.exec(owner ?? '')?.[1];
}

export function newRunId(): string {
  return randomBytes(3).toString('hex');
}

/** `tether-test-<suite>-<random>`, at most 63 characters. */
export function testNamespaceName(suite: string): string {
  const slug = suite.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return `${testNamespacePrefix}${slug}-${randomBytes(3).toString('hex')}`;
}

export function testNamespaceLabels(name: string, suite: string, run: string): Record<string, string> {
  return {
    [managedByLabel]: managedByValue,
    [sandboxLabel]: name,
    [ownerLabel]: testOwner,
    [testSuiteLabel]: suite.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').slice(0, 63),
    [testRunLabel]: run,
  };
}
