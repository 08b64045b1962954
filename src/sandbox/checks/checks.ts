/**
 * Checks against the preview, as Kubernetes Jobs inside the sandbox: one Job per check and run,
 * never retried (a failing check is a result, not something to hide), bounded by its timeout,
 * owned by the sandbox's Lease so it goes with the sandbox. Pure builders; checkRun.ts runs them.
 */
import type { DesiredObject } from '../desired';
import { checkRole, roleLabel } from '../labels';
import { boundedName } from '../names';
import type { SandboxPlan } from '../plan';
import type { CheckSpec } from '../spec';

export const checkLabel = 'tether.dev/check';
export const previewUrlEnv = 'TETHER_PREVIEW_URL';

/**
 * The preview as pods inside the cluster reach it, e.g. http://web.jane-main.svc.cluster.local:8080/:
 * the plan's entry Service on the plan's entry port (preview.port, else the Service's first).
 */
export function inClusterPreviewUrl(plan: Pick<SandboxPlan, 'entry' | 'namespace'>): string | undefined {
  if (!plan.entry) return undefined;
  const port = plan.entry.port === undefined ? '' : `:${plan.entry.port}`;
  return `http://${plan.entry.service}.${plan.namespace}.svc.cluster.local${port}${plan.entry.path}`;
}

export function checkJobName(plan: Pick<SandboxPlan, 'sandbox' | 'placement'>, check: CheckSpec, runId: string): string {
  return boundedName(plan.placement === 'namespace' ? ['check', check.name, runId] : [plan.sandbox, 'check', check.name, runId]);
}

/** The Job for one run of one check. `runId` tells runs apart (e.g. a timestamp in base 36). */
export function checkJob(plan: SandboxPlan, check: CheckSpec, runId: string): DesiredObject {
  const labels = { ...ownership(plan), [roleLabel]: checkRole, [checkLabel]: check.name };
  const url = inClusterPreviewUrl(plan);
  const env = [...(url ? [{ name: previewUrlEnv, value: url }] : []), ...Object.entries(check.env).map(([name, value]) => ({ name, value }))];
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: checkJobName(plan, check, runId), namespace: plan.namespace, labels },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: check.timeoutSeconds,
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'check', image: check.image, command: check.command, env }],
        },
      },
    },
  };
}

function ownership(plan: SandboxPlan): Record<string, string> {
  const lease = plan.objects.find((o) => o.kind === 'Lease');
  const { [roleLabel]: _role, ...labels } = lease?.metadata.labels ?? {};
  return labels;
}
