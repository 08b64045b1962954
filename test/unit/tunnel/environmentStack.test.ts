import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient } from '../../../src/kube/api';
import type { ResolvedEnvironment } from '../../../src/tunnel/environment';
import { EnvironmentStack, tunnelEnvironmentKey } from '../../../src/tunnel/environmentStack';
import type { TunnelSession } from '../../../src/tunnel/session';
import { forkEnvironmentKey, forkEnvironmentPrefix, forkEnvironmentTargets, type RunningForks } from '../../../src/sandbox/forks/forkEnvironment';
import type { RunningTunnel } from '../../../src/sandbox/preview/previewRunning';

const env = (variables: Record<string, string>): ResolvedEnvironment => ({ variables, secretVariables: [], problems: [] }) as unknown as ResolvedEnvironment;
const tunnel = { key: tunnelEnvironmentKey('web'), label: 'the tunnel to "web"' };
const fork = { key: forkEnvironmentKey('kind', 'jane-main', 'api'), label: 'fork "api" of sandbox "jane-main"' };

test('the environment started last wins whole, and the one before comes back when it stops', () => {
  const stack = new EnvironmentStack();
  assert.equal(stack.description(), undefined);
  stack.set(tunnel, env({ PORT: '3000', WEB_ONLY: '1' }));
  assert.equal(stack.description(), 'Environment of the tunnel to "web" from the cluster (Tether). New terminals get it.');
  stack.set(fork, env({ PORT: '8080' }));
  assert.deepEqual(stack.active?.env.variables, { PORT: '8080' }, 'never a mix of two workloads\' variables');
  assert.equal(stack.description(), 'Environment of fork "api" of sandbox "jane-main" from the cluster (Tether). New terminals get it. It was started last, so it wins over the tunnel to "web", whose environment comes back when it stops.');
  assert.equal(stack.remove(tunnel.key), false, 'removing one that waits behind changes nothing active');
  stack.set(tunnel, env({ PORT: '3000' }));
  assert.equal(stack.active?.source.key, tunnel.key, 'started again: on top again');
  assert.equal(stack.remove(tunnel.key), true);
  assert.equal(stack.active?.source.key, fork.key);
});

test('all forks of one sandbox go together; other sandboxes and tunnels stay', () => {
  const stack = new EnvironmentStack();
  stack.set(tunnel, env({}));
  stack.set(fork, env({}));
  stack.set({ key: forkEnvironmentKey('kind', 'jane-main', 'worker'), label: 'w' }, env({}));
  stack.set({ key: forkEnvironmentKey('kind', 'jane-main2', 'api'), label: 'other' }, env({}));
  assert.equal(stack.removeWhere(forkEnvironmentPrefix('kind', 'jane-main')), false, 'the active one belongs to another sandbox');
  assert.deepEqual(stack.keys(), [tunnel.key, forkEnvironmentKey('kind', 'jane-main2', 'api')]);
  assert.equal(stack.removeWhere(forkEnvironmentPrefix('kind', 'jane-main2')), true);
  assert.equal(stack.active?.source.key, tunnel.key);
});

test('sandbox forks give their environment while their tunnel runs, read once it is connected, keyed per context, sandbox and fork', () => {
  const session = (phase: string) => ({ state: { phase } }) as unknown as TunnelSession;
  const tunnels = new Map<string, RunningTunnel>([
    ['api-relay', { name: 'api-relay', workload: 'api', ports: [{ port: 8080, localPort: 3001 }], session: session('connected'), baseline: { kind: 'StatefulSet', namespace: 'shop', name: 'api' } }],
    ['web-relay', { name: 'web-relay', workload: 'web', ports: [], session: session('connecting'), baseline: { kind: 'Deployment', namespace: 'shop', name: 'web' } }],
    ['old-relay', { name: 'old-relay', workload: 'old', ports: [], session: session('connected') }],
    ['gone-relay', { name: 'gone-relay', workload: 'gone', ports: [], session: session('stopped'), baseline: { kind: 'Deployment', namespace: 'shop', name: 'gone' } }],
  ]);
  const running: RunningForks = { context: 'kind', client: {} as KubeClient, plan: { sandbox: 'jane-main', namespace: 'jane-main' }, tunnels };
  const targets = forkEnvironmentTargets([running]);
  assert.deepEqual(targets.map((t) => [t.source.key, t.connected]), [['sandbox/kind/jane-main/api', true], ['sandbox/kind/jane-main/web', false]], 'a tunnel still connecting keeps its place; a stopped one and one without a baseline give nothing');
  assert.equal(targets[0].source.label, 'fork "api" of sandbox "jane-main"');
  assert.deepEqual(targets[0].tunnel.baseline, { kind: 'StatefulSet', namespace: 'shop', name: 'api' });
  assert.ok(targets[0].source.key.startsWith(forkEnvironmentPrefix('kind', 'jane-main')));
});
