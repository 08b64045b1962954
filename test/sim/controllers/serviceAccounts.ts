/**
 * kube-controller-manager's serviceaccount controller: every namespace gets a ServiceAccount
 * "default" (pods run as it unless they name another), recreated when it is deleted.
 */
import type { StoreEvent } from '../store';
import { Controller } from './controller';
import type { ControllerContext, ControllerTimings } from './index';

const defaultName = 'default';

export class ServiceAccountController extends Controller {
  constructor(ctx: ControllerContext, timings: ControllerTimings) {
    super(ctx, timings, 'serviceaccount-controller');
    for (const ns of ctx.store.list(ctx.api.registry.kind('Namespace'))) this.queue.add(ns.metadata.name, timings.reconcileMs);
  }

  protected keysFor(event: StoreEvent): Iterable<string> {
    if (event.info.kind === 'Namespace' && event.type !== 'DELETED') return [event.object.metadata.name];
    if (event.info.kind === 'ServiceAccount' && event.type === 'DELETED' && event.object.metadata.name === defaultName) return [event.object.metadata.namespace ?? ''];
    return [];
  }

  protected reconcile(namespace: string): void {
    const { api, store } = this.ctx;
    const ns = store.get(api.registry.kind('Namespace'), undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp) return;
    const info = api.registry.kind('ServiceAccount');
    if (store.get(info, namespace, defaultName)) return;
    api.create(info, namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: defaultName } }, { fieldManager: 'kube-controller-manager' });
  }
}
