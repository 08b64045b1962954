/** An object as Tether wants it to be: what server-side apply sends (no uid or resourceVersion). */
export interface DesiredMeta {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; blockOwnerDeletion?: boolean }[];
}

export interface DesiredObject {
  apiVersion: string;
  kind: string;
  metadata: DesiredMeta;
  [key: string]: unknown;
}
