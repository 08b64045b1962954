/** Endpoints for Services with a selector: ready pod IPs in `addresses`, the rest in `notReadyAddresses`. */
import type { KubeObject } from '../../../src/kube/types';
import { timestamp } from '../defaults';
import { fromLabelMap, matchesLabels } from '../selectors';
import type { StoreEvent } from '../store';
import { Controller, splitKey } from './controller';
import type { ControllerContext, ControllerTimings } from './index';
import { isPodReady } from './templates';

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

function containerPort(pod: KubeObject, target: number | string | undefined, fallback: number): number | undefined {
  if (typeof target === 'number') return target;
  if (target === undefined) return fallback;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of ((pod.spec as { containers?: { ports?: { name?: string; containerPort: number }[] }[] }).containers ?? [])) {
    const found = c.ports?.find((p) => p.name === target);
    if (found) return found.containerPort;
  }
  return undefined;
}

export class EndpointsController extends Controller {
  constructor(ctx: ControllerContext, timings: ControllerTimings) {
    super(ctx, timings, 'endpoint-controller');
  }

  protected keysFor(event: StoreEvent): Iterable<string> {
    const ns = event.object.metadata.namespace ?? '';
    if (event.info.kind === 'Service') return [`${ns}/${event.object.metadata.name}`];
    if (event.info.kind === 'Pod') {
      const labels = event.object.metadata.labels;
      const previous = event.previous?.metadata.labels;
      return this.ctx.store.list(this.ctx.api.registry.kind('Service'), ns)
        .filter((s) => {
          const selector = (s.spec as { selector?: Record<string, string> } | undefined)?.selector;
          if (!selector) return false;
          const sel = fromLabelMap(selector);
          return matchesLabels(sel, labels) || matchesLabels(sel, previous);
        })
        .map((s) => `${ns}/${s.metadata.name}`);
    }
    return [];
  }

  protected reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const { api, store } = this.ctx;
    const epInfo = api.registry.kind('Endpoints');
    const svc = store.get(api.registry.kind('Service'), ns, name);
    const selector = (svc?.spec as { selector?: Record<string, string> } | undefined)?.selector;
    if (!svc || !selector || svc.metadata.deletionTimestamp) return;
    const sel = fromLabelMap(selector);
    const pods = store.list(api.registry.kind('Pod'), ns).filter((p) => matchesLabels(sel, p.metadata.labels) && !p.metadata.deletionTimestamp && (p.status as { podIP?: string } | undefined)?.podIP);
    const ports = ((svc.spec as { ports?: ServicePort[] }).ports ?? []);
    const address = (p: KubeObject) => ({
      ip: (p.status as { podIP: string }).podIP,
      nodeName: (p.spec as { nodeName?: string }).nodeName,
      targetRef: { kind: 'Pod', name: p.metadata.name, namespace: ns, uid: p.metadata.uid },
    });
    const subsets = pods.length === 0 ? undefined : [{
      ...(pods.some(isPodReady) ? { addresses: pods.filter(isPodReady).map(address) } : {}),
      ...(pods.some((p) => !isPodReady(p)) ? { notReadyAddresses: pods.filter((p) => !isPodReady(p)).map(address) } : {}),
      ports: ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: containerPort(pods[0], p.targetPort, p.port) ?? p.port, protocol: p.protocol ?? 'TCP' })),
    }];
    const body = {
      apiVersion: 'v1', kind: 'Endpoints',
      metadata: { name, namespace: ns, labels: svc.metadata.labels, annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': timestamp() } },
      ...(subsets ? { subsets } : {}),
    };
    const existing = store.get(epInfo, ns, name);
    if (!existing) {
      api.create(epInfo, ns, body, { fieldManager: 'kube-controller-manager' });
      return;
    }
    if (JSON.stringify(existing.subsets) === JSON.stringify(subsets)) return;
    api.mutate(epInfo, ns, name, 'kube-controller-manager', (ep) => {
      ep.metadata.annotations = body.metadata.annotations;
      if (subsets) ep.subsets = subsets;
      else delete ep.subsets;
    });
  }
}
