/** A simulator with the shop baseline from test/fixtures/sandbox, and clients for its users. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubeClient } from '../../../src/kube/api';
import { loadKubeconfig } from '../../../src/kube/config';
import { parseSpec, type SandboxSpec } from '../../../src/sandbox/spec';
import type { Denial } from '../../sim/auth';
import type { ObjectInput } from '../../sim/defaults';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../sim/server';

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

export async function shopSimulator(t: { after(fn: () => Promise<void> | void): void }, users: { name: string; denials?: Denial[] }[] = [], options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  const sim = await startSimulator({ controllers: true, timings: { reconcileMs: 5, scheduleMs: 10, startMs: 20, readyMs: 20, terminateMs: 20 }, users, ...options });
  t.after(() => sim.stop());
  sim.seed([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }]);
  for (const o of baselineObjects()) sim.apply(o);
  return sim;
}

export function clientOf(t: { after(fn: () => Promise<void> | void): void }, sim: Simulator, context = sim.context): KubeClient {
  const client = KubeClient.forContext(loadKubeconfig({ KUBECONFIG: sim.kubeconfigPath }), context);
  t.after(() => client.dispose());
  return client;
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
