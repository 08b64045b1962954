/**
 * The scheduler's FailedScheduling events, by the pod they are about. Other events are ignored.
 */
import type { EventShape } from './shapes';

interface Entry {
  readonly podKey: string;
  readonly uid?: string;
  readonly message: string;
  readonly at: number;
}

export class SchedulingEvents {
  private readonly byKey = new Map<string, Entry>();
  private readonly byPod = new Map<string, Set<string>>();

  /** Records or forgets the event; true when what the index knows changed. */
  upsert(event: EventShape): boolean {
    const key = eventKey(event);
    const target = event.involvedObject;
    if (event.reason !== 'FailedScheduling' || target?.kind !== 'Pod' || !target.name) return this.delete(event);
    const podKey = `${target.namespace ?? event.metadata?.namespace ?? ''}/${target.name}`;
    this.delete(event);
    this.byKey.set(key, { podKey, uid: target.uid, message: event.message ?? '', at: timeOf(event) });
    let keys = this.byPod.get(podKey);
    if (!keys) this.byPod.set(podKey, (keys = new Set()));
    keys.add(key);
    return true;
  }

  delete(event: EventShape): boolean {
    const key = eventKey(event);
    const entry = this.byKey.get(key);
    if (!entry) return false;
    this.byKey.delete(key);
    const keys = this.byPod.get(entry.podKey);
    keys?.delete(key);
    if (keys?.size === 0) this.byPod.delete(entry.podKey);
    return true;
  }

  /** The newest message about the pod; events about an earlier pod of the same name are skipped. */
  latestFor(podKey: string, uid: string | undefined): string | undefined {
    let best: Entry | undefined;
    for (const key of this.byPod.get(podKey) ?? []) {
      const entry = this.byKey.get(key);
      if (!entry || (uid && entry.uid && entry.uid !== uid)) continue;
      if (!best || entry.at >= best.at) best = entry;
    }
    return best?.message;
  }
}

function eventKey(event: EventShape): string {
  return `${event.metadata?.namespace ?? ''}/${event.metadata?.name ?? ''}`;
}

/** When the event last happened: series, lastTimestamp, eventTime, then creation. */
function timeOf(event: EventShape): number {
  for (const t of [event.series?.lastObservedTime, event.lastTimestamp, event.eventTime, event.metadata?.creationTimestamp]) {
    const ms = t ? Date.parse(t) : NaN;
    if (!Number.isNaN(ms)) return ms;
  }
  return 0;
}
