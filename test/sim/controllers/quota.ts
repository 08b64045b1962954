/** ResourceQuota status: `hard` mirrored from spec, `used` summed over the namespace's active pods. */
import { podRequests } from '../quantity';
import type { StoreEvent } from '../store';
import { Controller, splitKey } from './controller';
import type { ControllerContext, ControllerTimings } from './index';
import { isActive } from './templates';

function format(value: number, unit: string): string {
  if (unit === 'cpu') return Number.isInteger(value) ? String(value) : `${Math.round(value * 1000)}m`;
  if (unit === 'memory' && value % 2 ** 30 === 0 && value > 0) return `${value / 2 ** 30}Gi`;
  if (unit === 'memory' && value % 2 ** 20 === 0 && value > 0) return `${value / 2 ** 20}Mi`;
  return String(value);
}

export class QuotaController extends Controller {
  constructor(ctx: ControllerContext, timings: ControllerTimings) {
    super(ctx, timings, 'resourcequota-controller');
  }

  protected keysFor(event: StoreEvent): Iterable<string> {
    const ns = event.object.metadata.namespace ?? '';
    if (event.info.kind === 'ResourceQuota') return [`${ns}/${event.object.metadata.name}`];
    if (event.info.kind === 'Pod') return this.ctx.store.list(this.ctx.api.registry.kind('ResourceQuota'), ns).map((q) => `${ns}/${q.metadata.name}`);
    return [];
  }

  protected reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const info = this.ctx.api.registry.kind('ResourceQuota');
    const quota = this.ctx.store.get(info, ns, name);
    if (!quota) return;
    const hard = ((quota.spec as { hard?: Record<string, string> } | undefined)?.hard ?? {});
    const pods = this.ctx.store.list(this.ctx.api.registry.kind('Pod'), ns).filter(isActive);
    const used: Record<string, string> = {};
    for (const key of Object.keys(hard)) {
      if (key === 'pods') {
        used[key] = String(pods.length);
        continue;
      }
      const resource = key.replace(/^requests\./, '').replace(/^limits\./, '');
      const total = pods.reduce((sum, p) => sum + (podRequests(p.spec as Parameters<typeof podRequests>[0]).get(resource) ?? 0), 0);
      used[key] = format(total, resource);
    }
    const current = (quota.status as { used?: Record<string, string>; hard?: Record<string, string> } | undefined) ?? {};
    if (JSON.stringify(current.used) === JSON.stringify(used) && JSON.stringify(current.hard) === JSON.stringify(hard)) return;
    this.ctx.api.updateStatus(info, ns, name, 'kube-controller-manager', (status) => {
      status.hard = hard;
      status.used = used;
    });
  }
}
