/**
 * The sandbox agent's ports for its `local` forks, pure. Every port a local fork forwards gets a
 * data port on the one agent pod: its own number, unless another fork or the agent itself already
 * has it, then a free one from 20000 up. The forks' Services then select the agent pod and target
 * those data ports, so several local forks share one pod without their ports meeting.
 */
import type { AgentDataPort } from './agentRequest';
import type { DesiredObject } from './desired';
import type { ForkPort } from './spec';

export interface LocalForkPorts {
  fork: string;
  ports: ForkPort[];
}

const firstFreePort = 20_000;

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  [key: string]: unknown;
}

/**
 * A data port for each port of each fork, in order. `reserved` are the agent's own ports; `avoid`
 * are numbers a port chosen from the free range must not take (ports Services target), so no
 * Service ever reaches another fork's port by accident.
 */
export function agentDataPorts(forks: readonly LocalForkPorts[], reserved: readonly number[], avoid: readonly number[] = []): AgentDataPort[] {
  const taken = new Set(reserved);
  const all = forks.flatMap((f) => f.ports.map((p) => ({ fork: f.fork, port: p.port, localPort: p.localPort ?? p.port })));
  const unique = all.filter((p, i) => all.findIndex((q) => q.fork === p.fork && q.port === p.port) === i);
  const chosen = unique.map((p) => {
    if (taken.has(p.port)) return { ...p, dataPort: 0 };
    taken.add(p.port);
    return { ...p, dataPort: p.port };
  });
  const shunned = new Set([...taken, ...avoid, ...unique.map((p) => p.port)]);
  let next = firstFreePort;
  for (const p of chosen) {
    if (p.dataPort !== 0) continue;
    while (shunned.has(next)) next++;
    p.dataPort = next;
    shunned.add(next);
  }
  return chosen.map(({ fork, port, dataPort, localPort }) => ({ fork, port, dataPort, localPort }));
}

/** The container ports a Service targets (numbers only; named ones the plan could not resolve are skipped). */
export function targetPorts(service: DesiredObject): number[] {
  const ports = ((service.spec as { ports?: ServicePort[] } | undefined)?.ports ?? []);
  return ports.map((p) => p.targetPort ?? p.port).filter((t): t is number => typeof t === 'number');
}

/**
 * A local fork's Services pointed at the agent pod (`selector`) and its data ports. A Service port
 * whose target the fork does not forward is left out, and a Service left without ports is dropped,
 * each with a note: callers of it would otherwise reach nothing, or another fork.
 */
export function servicesThroughAgent(services: readonly DesiredObject[], fork: string, dataPorts: readonly AgentDataPort[], selector: Record<string, string>): { services: DesiredObject[]; notes: string[] } {
  const notes: string[] = [];
  const out: DesiredObject[] = [];
  for (const service of services) {
    const spec = (service.spec ?? {}) as { ports?: ServicePort[] };
    const ports: ServicePort[] = [];
    for (const p of spec.ports ?? []) {
      const target = p.targetPort ?? p.port;
      const forwarded = dataPorts.find((d) => d.fork === fork && d.port === target);
      if (forwarded) ports.push({ ...p, targetPort: forwarded.dataPort });
      else notes.push(`Port ${p.port} of Service "${service.metadata.name}" targets port ${target}, which the local fork "${fork}" does not forward; add it to the fork's ports in tether.yaml to reach your process there.`);
    }
    if (ports.length === 0) {
      notes.push(`Service "${service.metadata.name}" is left out of the sandbox: none of its ports is forwarded by the local fork "${fork}".`);
      continue;
    }
    out.push({ ...service, spec: { ...spec, selector: { ...selector }, ports } });
  }
  return { services: out, notes };
}
