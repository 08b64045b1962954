/**
 * The editor's side of a sandbox's agent while its preview runs: one TunnelSession per agent (and
 * session token), kept across applies of the same sandbox. Inbound connections go to the local
 * process of the fork whose data port they came in on; the local forks' tunnels are views of it;
 * the preview's connector (agentDialer.ts) opens its streams on it, or, without an agent, a
 * port-forward per connection.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../../kube/logger';
import { defaultControlPort } from '../../tunnel/relay';
import { TunnelSession, type TunnelSessionOptions } from '../../tunnel/session';
import type { SandboxPlan } from '../plan';
import type { SandboxSpec } from '../spec';
import { AgentDialer } from './agentDialer';
import type { EntryConnector } from './entryConnector';
import { EntryDialer } from './entryDialer';
import type { RunningSandbox } from './previewRunning';
import type { PreviewEntry } from './previewTarget';

export interface AgentSessionSettings {
  logger: Logger;
  /** Overrides for the session (tests shorten backoffs). */
  tunnel?: Partial<TunnelSessionOptions>;
  /** How long a preview connection waits for an agent that is not reachable (agentDialer.ts). */
  previewWaitMs?: number;
}

/** Makes (or keeps) the running sandbox's agent session for `plan` and sets its local forks' tunnels. */
export function syncAgentSession(running: RunningSandbox, plan: SandboxPlan, spec: SandboxSpec, token: string | undefined, settings: AgentSessionSettings): void {
  const agent = plan.agent;
  if (!agent || !token) {
    running.setAgent(undefined);
    running.setTunnels([]);
    return;
  }
  running.agentPorts = agent.dataPorts;
  const key = `${agent.namespace}/${agent.name}/${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
  if (running.agent?.key !== key) {
    const session = new TunnelSession({
      client: running.client,
      namespace: agent.namespace,
      selector: agent.selector,
      token,
      controlPort: defaultControlPort,
      local: (dataPort) => {
        const port = running.agentPorts.find((p) => p.dataPort === dataPort);
        return port ? { host: '127.0.0.1', port: port.localPort } : undefined;
      },
      logger: settings.logger,
      ...settings.tunnel,
    });
    running.setAgent(session, key);
    session.start();
  }
  const session = running.agent!.session;
  running.setTunnels(
    agent.localForks.map((fork) => ({
      name: fork,
      workload: fork,
      ports: agent.dataPorts.filter((p) => p.fork === fork).map((p) => ({ port: p.port, localPort: p.localPort })),
      session,
      baseline: { kind: spec.forks.find((f) => f.workload.name === fork)?.workload.kind ?? 'Deployment', namespace: spec.baseline.namespace, name: fork },
    })),
  );
}

/** How the preview's connections reach `entry`: through the agent, else a port-forward each (said in the log). */
export function previewConnector(running: RunningSandbox, entry: PreviewEntry, settings: AgentSessionSettings): EntryConnector {
  const session = running.agent?.session;
  const direct = new EntryDialer(running.client, entry);
  if (!session) {
    settings.logger.info(`[preview] ${running.plan.sandbox}: no agent runs in the sandbox, so each preview connection opens a port-forward of its own.`);
    return direct;
  }
  // Only a sandbox without local forks can do without its agent; with them nothing works until it runs.
  const fallback = (running.plan.agent?.localForks.length ?? 0) === 0 ? direct : undefined;
  return new AgentDialer({ session, client: running.client, entry, fallback, logger: settings.logger, waitMs: settings.previewWaitMs });
}
