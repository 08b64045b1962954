/**
 * One pod and its events, live: the pod from the shared watch of its namespace (the same one the
 * Cluster view uses, through the WatchHub), and its events from a watch of its own, narrowed by
 * the API server with a field selector. Owns both observations. Pure of VS Code.
 */
import { DisposableStore, type Disposable } from '../../lifecycle';
import type { KubeClient } from '../../kube/api';
import { kinds } from '../../kube/kinds';
import type { Logger } from '../../kube/logger';
import { objectKey, type InformerEvent, type InformerState, type KubeObject } from '../../kube/types';
import { Informer } from '../../kube/watch';
import type { WatchSource } from '../session/watchedKind';
import { podEventsFieldSelector, type EventObject } from './podDetailsModel';
import type { PodRef } from './podDetailsProtocol';
import { editorRemedy } from '../stepWords';

/** Cluster access as the watch needs it (KubeAccess satisfies it). */
export interface PodWatchAccess {
  readonly hub: WatchSource;
  client(context: string): KubeClient;
}

function problem(state: InformerState, what: string): string | undefined {
  if (state.phase !== 'backoff') return undefined;
  return `${what}: ${state.error.why}. ${editorRemedy(state.error)}. Retrying in ${Math.ceil(state.retryInMs / 1000)} s.`;
}

export class PodWatch implements Disposable {
  private readonly store = new DisposableStore();
  private podValue?: KubeObject;
  private podSynced = false;
  private readonly eventMap = new Map<string, EventObject>();
  private podProblem?: string;
  private eventsProblem?: string;

  constructor(access: PodWatchAccess, private readonly ref: PodRef, private readonly onChange: () => void, logger: Logger) {
    const key = objectKey({ namespace: ref.namespace, name: ref.name });
    this.store.add(
      access.hub.observe<KubeObject>({ context: ref.context, kind: 'Pod', namespace: ref.namespace }, (e) => {
        if (this.onPodEvent(e, key)) this.onChange();
      }),
    );
    const events = this.store.add(
      new Informer<EventObject>(access.client(ref.context), kinds.Event, ref.namespace, { fieldSelector: podEventsFieldSelector(ref), logger }),
    );
    this.store.add(events.onEvent((e) => this.onEventsEvent(e)));
    events.start();
  }

  /** The pod as last seen; undefined before the first list or after it was deleted. */
  get pod(): KubeObject | undefined {
    return this.podValue;
  }

  /** The namespace's pods were listed and this pod is not (or no longer) among them. */
  get gone(): boolean {
    return this.podSynced && !this.podValue;
  }

  get events(): Iterable<EventObject> {
    return this.eventMap.values();
  }

  /** Why the pod or its events may be out of date, in words. */
  get problems(): { pod?: string; events?: string } {
    return { pod: this.podProblem, events: this.eventsProblem };
  }

  /** Applies one event of the namespace's pod watch; true when this pod's view changed. */
  private onPodEvent(e: InformerEvent<KubeObject>, key: string): boolean {
    switch (e.type) {
      case 'synced': {
        const before = this.podValue;
        this.podValue = e.objects.get(key);
        const first = !this.podSynced;
        this.podSynced = true;
        this.podProblem = undefined;
        return first || before !== this.podValue;
      }
      case 'added':
      case 'modified':
        if (objectKey(e.object.metadata) !== key) return false;
        this.podValue = e.object;
        return true;
      case 'deleted':
        if (objectKey(e.object.metadata) !== key) return false;
        this.podValue = undefined;
        return true;
      case 'state': {
        const before = this.podProblem;
        this.podProblem = problem(e.state, `Watching pod ${this.ref.name}`);
        return before !== this.podProblem;
      }
    }
  }

  private onEventsEvent(e: InformerEvent<EventObject>): void {
    switch (e.type) {
      case 'synced':
        this.eventMap.clear();
        for (const [k, v] of e.objects) this.eventMap.set(k, v);
        this.eventsProblem = undefined;
        break;
      case 'added':
      case 'modified':
        this.eventMap.set(objectKey(e.object.metadata), e.object);
        break;
      case 'deleted':
        this.eventMap.delete(objectKey(e.object.metadata));
        break;
      case 'state':
        this.eventsProblem = problem(e.state, 'Reading events');
        break;
    }
    this.onChange();
  }

  dispose(): void {
    this.store.dispose();
  }
}
