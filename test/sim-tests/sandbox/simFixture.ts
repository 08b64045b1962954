/** The shop baseline and tether.yaml fixtures from test/fixtures/sandbox, and a poll helper. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseSpec, type SandboxSpec } from '../../../src/sandbox/spec';
import type { ObjectInput } from '../../sim/defaults';

export const fixtures = join(__dirname, '../../fixtures/sandbox');

export function baselineObjects(): ObjectInput[] {
  return parseAllDocuments(readFileSync(join(fixtures, 'baseline.yaml'), 'utf8')).map((d) => {
    const o = d.toJS() as ObjectInput;
    delete o.metadata.uid;
    delete o.metadata.resourceVersion;
    delete o.status;
    return o;
  });
}

export function specFixture(file: string): SandboxSpec {
  const parsed = parseSpec(readFileSync(join(fixtures, file), 'utf8'));
  if (!parsed.spec) throw new Error(`${file}: ${JSON.stringify(parsed.diagnostics)}`);
  return parsed.spec;
}

export async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
