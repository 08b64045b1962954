/**
 * The environment of a sandbox's `local` fork for the developer's terminals: the baseline
 * workload's own (as a plain tunnel gives it), with Service addresses forwarded through the fork's
 * tunnel to the sandbox's namespace, where the forks and the aliases of the baseline's Services
 * answer under the usual names. Handed to the one owner of the terminal environment
 * (ui/tunnel/tunnelEnvironment.ts) under a key per fork.
 */
import type { KubeClient } from '../../kube/api';
import { fetchWorkloadEnvironment, type WorkloadKind } from '../../tunnel/environmentFetch';
import type { EnvironmentSource } from '../../tunnel/environmentStack';
import { forwardEnvironment, type ForwardedEnvironment } from '../../tunnel/sessionEnvironment';
import type { SandboxPlan } from '../plan';
import type { RunningTunnel } from '../preview/previewRunning';

/** What this module needs of a running sandbox. */
export interface RunningForks {
  context: string;
  client: KubeClient;
  plan: Pick<SandboxPlan, 'sandbox' | 'namespace'>;
  tunnels: ReadonlyMap<string, RunningTunnel>;
}

export interface ForkEnvironmentTarget {
  source: EnvironmentSource;
  running: RunningForks;
  tunnel: RunningTunnel & { baseline: NonNullable<RunningTunnel['baseline']> };
  /** Forwards go through the tunnel, so the environment can be read only while it is connected. */
  connected: boolean;
}

/** Every key of a sandbox's forks starts with this, so they go together when the sandbox stops. */
export function forkEnvironmentPrefix(context: string, sandbox: string): string {
  return `sandbox/${context}/${sandbox}/`;
}

export function forkEnvironmentKey(context: string, sandbox: string, workload: string): string {
  return `${forkEnvironmentPrefix(context, sandbox)}${workload}`;
}

/**
 * The forks that give terminals their environment: tunnels that know their baseline and have not
 * stopped. One that is reconnecting keeps its environment (its forwards come back with it).
 */
export function forkEnvironmentTargets(running: readonly RunningForks[]): ForkEnvironmentTarget[] {
  return running.flatMap((r) =>
    [...r.tunnels.values()].flatMap((tunnel) => {
      const { baseline } = tunnel;
      const { phase } = tunnel.session.state;
      if (!baseline || phase === 'stopped') return [];
      const source = { key: forkEnvironmentKey(r.context, r.plan.sandbox, tunnel.workload), label: `fork "${tunnel.workload}" of sandbox "${r.plan.sandbox}"` };
      return [{ source, running: r, tunnel: { ...tunnel, baseline }, connected: phase === 'connected' }];
    }),
  );
}

export async function forkEnvironment(target: ForkEnvironmentTarget, signal?: AbortSignal): Promise<ForwardedEnvironment> {
  const { running, tunnel } = target;
  const own = await fetchWorkloadEnvironment(running.client, { kind: tunnel.baseline.kind as WorkloadKind, namespace: tunnel.baseline.namespace, name: tunnel.baseline.name }, signal);
  return forwardEnvironment(tunnel.session, running.client, running.plan.namespace, own, signal);
}
