/**
 * The labels that mark what Tether created, and the names of one tunnel's objects. Tether never
 * patches or deletes an object that lacks `app.kubernetes.io/managed-by: tether`.
 */

export const managedByLabel = 'app.kubernetes.io/managed-by';
export const managedByValue = 'tether';
export const nameLabel = 'app.kubernetes.io/name';
export const componentLabel = 'app.kubernetes.io/component';
export const sandboxLabel = 'tether.dev/sandbox';
export const ownerLabel = 'tether.dev/owner';
export const tunnelLabel = 'tether.dev/tunnel';

export interface TunnelIdentity {
  /** Name shared by the tunnel's objects (a DNS-1123 label, see relayName()). */
  name: string;
  /** The sandbox the tunnel belongs to. */
  sandbox: string;
  /** Who started it (a user name, email or host; made label-safe). */
  owner: string;
}

/**
 * A string as a label value: at most 63 characters of [A-Za-z0-9._-], starting and ending with an
 * alphanumeric character. Other characters become '-'; an empty result becomes "unknown".
 */
export function labelValue(text: string): string {
  const cleaned = text
    .replace(/@/g, '.at.')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[^A-Za-z0-9]+$/, '');
  return cleaned || 'unknown';
}

/**
 * The relay's object name for a workload: "tether-relay-<workload>", lowercase DNS-1123, short
 * enough (≤ 47) that the Deployment's pod names stay within 63 characters.
 */
export function relayName(workload: string): string {
  const base = `tether-relay-${workload.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`;
  return base.slice(0, 47).replace(/-+$/, '');
}

/** Labels every object of the tunnel carries. */
export function tunnelLabels(id: TunnelIdentity): Record<string, string> {
  return {
    [managedByLabel]: managedByValue,
    [nameLabel]: 'tether-relay',
    [componentLabel]: 'relay',
    [sandboxLabel]: labelValue(id.sandbox),
    [ownerLabel]: labelValue(id.owner),
    [tunnelLabel]: labelValue(id.name),
  };
}

/** The label selector of the relay's pods (and of every object of the tunnel). */
export function relaySelector(name: string): Record<string, string> {
  return { [managedByLabel]: managedByValue, [tunnelLabel]: labelValue(name) };
}

/** `key=value,…` for list calls. */
export function selectorText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** True only for objects carrying Tether's managed-by label: the only ones Tether may change or delete. */
export function isTetherManaged(object: { metadata?: { labels?: Record<string, string> } }): boolean {
  return object.metadata?.labels?.[managedByLabel] === managedByValue;
}
