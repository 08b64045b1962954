/**
 * One sandbox while its preview runs in this window: the client it talks through, the editor's one
 * connection to the sandbox's agent (its `local` forks' tunnels and every preview connection ride
 * it), the Lease heartbeat and the preview listener. It owns all of them and disposes them
 * together; cluster objects stay (Delete Sandbox removes those, or the TTL does).
 */
import type { KubeClient } from '../../kube/api';
import { Emitter, type Disposable } from '../../lifecycle';
import type { TunnelSession } from '../../tunnel/session';
import { describeState } from '../../tunnel/sessionState';
import type { LeaseHeartbeat } from '../lifecycle/heartbeat';
import type { AgentDataPort } from '../agentRequest';
import type { SandboxPlan } from '../plan';
import { endpointRouting, type PreviewEndpoint } from './previewEndpoint';

/** A `local` fork while it runs: a view of the agent's session for that fork's ports. */
export interface RunningTunnel {
  /** The fork's workload (one tunnel per local fork). */
  name: string;
  /** The baseline workload the agent stands in for. */
  workload: string;
  /** Cluster port -> local port. */
  ports: { port: number; localPort: number }[];
  /** The sandbox's agent session, shared by every local fork and the preview. */
  session: TunnelSession;
  /** The baseline workload, whose environment local terminals get (forkEnvironment.ts). */
  baseline?: { kind: string; namespace: string; name: string };
}

/** What the Sandboxes view and the tools show about a running sandbox. */
export interface RunningSummary {
  key: string;
  context: string;
  sandbox: string;
  namespace: string;
  url?: string;
  /** Header routing: the header line every preview request carries. */
  routingHeader?: string;
  /** The shareable host's URL (without a token) when a preview domain is configured. */
  shareUrl?: string;
  tunnels: { workload: string; state: string; ports: string }[];
  heartbeat: 'renewing' | 'failing' | 'lost';
  lastErrors: string[];
}

export class RunningSandbox implements Disposable {
  readonly tunnels = new Map<string, RunningTunnel>();
  /** The editor's one connection to the sandbox's agent, and what it was made for. */
  agent: { session: TunnelSession; key: string } | undefined;
  /** The agent's data ports and where they go locally; read on every inbound connection. */
  agentPorts: AgentDataPort[] = [];
  /** The local end of the preview: the raw listener, or the baggage proxy for header routing. */
  listener: PreviewEndpoint | undefined;
  heartbeat: LeaseHeartbeat | undefined;
  heartbeatState: RunningSummary['heartbeat'] = 'renewing';
  /** The last time in-cluster traffic could not reach the local process; cleared when a tunnel serves again. */
  localProblem: { workload: string; target: string; message: string } | undefined;
  /** The front door that took the sandbox over, when that is why its heartbeat stopped. */
  takenOverBy: string | undefined;
  /** Problems seen while running (local process not listening, heartbeat failures), newest last. */
  private readonly problems: string[] = [];
  private readonly changes = new Emitter<void>();
  readonly onDidChange = this.changes.event;
  private readonly subscriptions: Disposable[] = [];
  private agentSubscriptions: Disposable[] = [];
  private listenerSubscription: Disposable | undefined;
  private disposed = false;
  private clientKept = false;

  constructor(
    readonly key: string,
    readonly context: string,
    readonly client: KubeClient,
    public plan: SandboxPlan,
    public specHash: string,
  ) {}

  /** Disposing leaves the client to the caller (who releases the Lease through it). */
  keepClient(): void {
    this.clientKept = true;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Still usable for a warm answer: heartbeat alive, listener open, the agent's session not stopped. */
  get isHealthy(): boolean {
    if (this.disposed || this.heartbeatState === 'lost' || !this.listener?.isOpen) return false;
    return this.agent?.session.state.phase !== 'stopped';
  }

  note(problem: string): void {
    // The same failure seen again (a retried health check, connections failing alike) is one entry.
    if (this.problems.at(-1) === problem) return;
    this.problems.push(problem);
    if (this.problems.length > 20) this.problems.shift();
    this.changes.fire();
  }

  get recentProblems(): string[] {
    return [...this.problems];
  }

  /** Owns `session` from now on (undefined: no agent); the previous one is closed. */
  setAgent(session: TunnelSession | undefined, key = ''): void {
    if (this.agent?.session === session) return;
    for (const s of this.agentSubscriptions.splice(0)) s.dispose();
    this.agent?.session.dispose();
    this.agent = session ? { session, key } : undefined;
    if (!session) return;
    this.agentSubscriptions.push(
      session.onDidChangeState(() => this.changes.fire()),
      session.onLocalProblem((p) => {
        const workload = this.agentPorts.find((d) => d.dataPort === p.dataPort)?.fork ?? 'the local fork';
        this.localProblem = { workload, target: p.target, message: p.message };
        this.note(`Cluster traffic for ${workload} (port ${p.dataPort}) could not reach ${p.target}: ${p.message}`);
      }),
    );
  }

  /** The local forks' tunnels, all views of the agent's session. */
  setTunnels(tunnels: readonly RunningTunnel[]): void {
    this.tunnels.clear();
    for (const t of tunnels) this.tunnels.set(t.name, t);
    this.changes.fire();
  }

  setHeartbeat(heartbeat: LeaseHeartbeat): void {
    this.heartbeat?.dispose();
    this.heartbeat = heartbeat;
    this.heartbeatState = 'renewing';
    this.subscriptions.push(
      heartbeat.onEvent((e) => {
        if (e.type === 'renewed') {
          // A renewal that changes nothing is not news (it happens every few seconds).
          if (this.heartbeatState === 'renewing') return;
          this.heartbeatState = 'renewing';
        } else if (e.type === 'failed') {
          this.heartbeatState = 'failing';
          this.note(`Renewing the sandbox's Lease failed: ${e.error instanceof Error ? e.error.message : String(e.error)}`);
        } else {
          this.heartbeatState = 'lost';
          this.takenOverBy = e.takenOverBy;
          this.note(e.takenOverBy ? `${e.why}; it runs there now` : `The sandbox's Lease is gone: ${e.why}`);
        }
        this.changes.fire();
      }),
    );
  }

  setListener(listener: PreviewEndpoint): void {
    this.listenerSubscription?.dispose();
    this.listener?.dispose();
    this.listener = listener;
    this.listenerSubscription = listener.onProblem((problem) => this.note(`A preview connection failed: ${problem.message}`));
    this.changes.fire();
  }

  summary(): RunningSummary {
    const summary: RunningSummary = {
      key: this.key,
      context: this.context,
      sandbox: this.plan.sandbox,
      namespace: this.plan.namespace,
      tunnels: [...this.tunnels.values()].map((t) => ({ workload: t.workload, state: describeState(t.session.state), ports: t.ports.map((p) => `${p.port}→127.0.0.1:${p.localPort}`).join(', ') })),
      heartbeat: this.heartbeatState,
      lastErrors: this.recentProblems,
    };
    if (this.listener?.isOpen) summary.url = this.listener.url;
    const routing = this.listener?.isOpen ? endpointRouting(this.listener) : undefined;
    if (routing) summary.routingHeader = routing.header;
    if (this.plan.share && this.plan.entry) summary.shareUrl = `${this.plan.share.origin}${this.plan.entry.path}`;
    return summary;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.listenerSubscription?.dispose();
    this.listener?.dispose();
    this.setAgent(undefined);
    this.tunnels.clear();
    this.heartbeat?.dispose();
    if (!this.clientKept) this.client.dispose();
    this.changes.fire();
    this.changes.dispose();
  }
}
