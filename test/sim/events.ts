/**
 * core/v1 Events as controllers, the scheduler and the kubelet record them: one Event per
 * (object, reason, message), later repeats bump `count`/`series` instead of creating new ones.
 */
import type { KubeObject } from '../../src/kube/types';
import type { ResourceApi } from './api';
import { timestamp } from './defaults';

export interface EventSource {
  component: string;
  host?: string;
}

export class EventRecorder {
  private readonly seen = new Map<string, { namespace: string; name: string }>();
  private sequence = 0;

  constructor(private readonly api: ResourceApi) {}

  record(involved: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource, action?: string): void {
    const info = this.api.registry.kind('Event');
    const namespace = involved.metadata.namespace ?? 'default';
    const key = `${involved.metadata.uid}|${reason}|${message}|${source.component}`;
    const now = new Date();
    const micro = `${now.toISOString().slice(0, -1)}000Z`;
    const scheduler = source.component === 'default-scheduler';
    try {
      const previous = this.seen.get(key);
      if (previous && this.exists(previous.namespace, previous.name)) {
        this.api.mutate(info, previous.namespace, previous.name, source.component, (event) => {
          if (scheduler) {
            const series = (event.series as { count?: number } | undefined) ?? { count: 1 };
            event.series = { count: (series.count ?? 1) + 1, lastObservedTime: micro };
          } else {
            event.count = Number(event.count ?? 1) + 1;
            event.lastTimestamp = timestamp(now);
          }
        });
        return;
      }
      const name = `${involved.metadata.name}.${(BigInt(now.getTime()) * 1_000_000n + BigInt(this.sequence++)).toString(16)}`;
      const involvedObject = {
        kind: involved.kind,
        namespace: involved.metadata.namespace,
        name: involved.metadata.name,
        uid: involved.metadata.uid,
        apiVersion: involved.apiVersion,
        resourceVersion: involved.metadata.resourceVersion,
      };
      const body: Record<string, unknown> = scheduler
        ? {
            metadata: { name, namespace },
            involvedObject,
            reason,
            message,
            source: {},
            firstTimestamp: null,
            lastTimestamp: null,
            type,
            eventTime: micro,
            action: action ?? reason,
            reportingComponent: source.component,
            reportingInstance: `${source.component}-tether-sim`,
          }
        : {
            metadata: { name, namespace },
            involvedObject,
            reason,
            message,
            source,
            firstTimestamp: timestamp(now),
            lastTimestamp: timestamp(now),
            count: 1,
            type,
            eventTime: null,
            reportingComponent: source.component,
            reportingInstance: source.host ?? '',
          };
      this.api.create(info, namespace, body, { fieldManager: source.component });
      this.seen.set(key, { namespace, name });
    } catch {
      // The namespace is gone or terminating: like a real recorder, drop the event.
    }
  }

  private exists(namespace: string, name: string): boolean {
    try {
      this.api.get(this.api.registry.kind('Event'), namespace, name);
      return true;
    } catch {
      return false;
    }
  }
}
