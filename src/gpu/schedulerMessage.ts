/**
 * Reads the scheduler's FailedScheduling message ("0/3 nodes are available: 1 node(s) had
 * untolerated taint {nvidia.com/gpu: present}, 2 Insufficient nvidia.com/gpu. preemption: …")
 * and says the same in plain words. This is the only source of reasons when the user may not
 * list nodes (namespace-scoped access), so it stands on its own.
 */

export interface SchedulerVerdict {
  available: number;
  total: number;
  /** "N <why>" items of the filter summary, in the scheduler's order. */
  items: { nodes: number; why: string }[];
}

const head = /^\s*(\d+)\/(\d+) nodes are available(?::\s*)?/;

/** Parses the filter summary of a FailedScheduling message; undefined for other messages. */
export function parseSchedulerMessage(message: string | undefined): SchedulerVerdict | undefined {
  if (!message) return undefined;
  const m = head.exec(message);
  if (!m) return undefined;
  let rest = message.slice(m[0].length);
  const preemption = rest.search(/\s*preemption:/);
  if (preemption >= 0) rest = rest.slice(0, preemption);
  rest = rest.trim().replace(/\.$/, '');
  const items: SchedulerVerdict['items'] = [];
  for (const part of rest.split(/,\s*(?=\d+\s)/)) {
    const item = /^(\d+)\s+(.+)$/s.exec(part.trim());
    if (item) items.push({ nodes: Number(item[1]), why: item[2].trim().replace(/\.$/, '') });
  }
  return { available: Number(m[1]), total: Number(m[2]), items };
}

export function nodesPhrase(n: number): string {
  return `${n} node${n === 1 ? '' : 's'}`;
}

function have(n: number): string {
  return n === 1 ? 'has' : 'have';
}

/** One summary item in plain words, e.g. "2 nodes do not have enough free nvidia.com/gpu". */
export function plainItem(item: { nodes: number; why: string }): string {
  const n = item.nodes;
  const insufficient = /^Insufficient (.+)$/.exec(item.why);
  if (insufficient) return `${nodesPhrase(n)} ${n === 1 ? 'does' : 'do'} not have enough free ${insufficient[1]}`;
  const taint = /had (?:untolerated )?taint \{([^:}]+):\s*([^}]*)\}/.exec(item.why);
  if (taint) {
    const [, key, value] = taint;
    if (key === 'node.kubernetes.io/unschedulable') return `${nodesPhrase(n)} ${n === 1 ? 'is' : 'are'} cordoned`;
    return `${nodesPhrase(n)} ${have(n)} the taint ${key}${value.trim() ? `=${value.trim()}` : ''} that the pod does not tolerate`;
  }
  if (/didn't match Pod's node affinity\/selector|didn't match node selector/.test(item.why)) {
    return `${nodesPhrase(n)} ${n === 1 ? 'does' : 'do'} not match the pod's nodeSelector or node affinity`;
  }
  if (/were unschedulable/.test(item.why)) return `${nodesPhrase(n)} ${n === 1 ? 'is' : 'are'} cordoned`;
  if (/Too many pods/.test(item.why)) return `${nodesPhrase(n)} ${have(n)} no room for another pod`;
  return `${nodesPhrase(n)}: ${item.why.replace(/^node\(s\)\s*/, '')}`;
}

/** The whole verdict in plain words, or undefined when the message is not a filter summary. */
export function plainSchedulerMessage(message: string | undefined): string | undefined {
  const verdict = parseSchedulerMessage(message);
  if (!verdict) return undefined;
  if (verdict.items.length === 0) return `${verdict.available} of ${nodesPhrase(verdict.total)} can take the pod`;
  return `${verdict.available} of ${nodesPhrase(verdict.total)} can take the pod: ${verdict.items.map(plainItem).join('; ')}`;
}
