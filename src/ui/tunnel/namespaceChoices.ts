/**
 * The namespaces "Tunnel Workload to Local Port" offers, as plain data: the ones the Cluster view
 * filters on first, then the context's own, then the ones open in the view, then every other
 * namespace the cluster lists. Without the right to list namespaces only the first three are
 * known; a name can still be typed. Pure.
 */

export interface NamespaceChoiceInput {
  /** Every namespace the cluster lists; undefined when they could not be listed (e.g. forbidden). */
  readonly known: readonly string[] | undefined;
  /** The Cluster view's namespace filter for the context. */
  readonly filter?: readonly string[];
  /** The context's namespace (kubeconfig), "default" when it names none. */
  readonly contextNamespace: string;
  /** Namespaces expanded in the Cluster view. */
  readonly open?: readonly string[];
}

export interface NamespaceChoice {
  readonly name: string;
  readonly description?: string;
}

const namePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A namespace name as Kubernetes accepts it (a DNS-1123 label). */
export function isNamespaceName(text: string): boolean {
  return text.length <= 63 && namePattern.test(text);
}

export function namespaceChoices(input: NamespaceChoiceInput): NamespaceChoice[] {
  const out = new Map<string, NamespaceChoice>();
  const add = (name: string, description?: string) => {
    if (!out.has(name)) out.set(name, description ? { name, description } : { name });
  };
  for (const name of input.filter ?? []) add(name, 'filtered in the Cluster view');
  add(input.contextNamespace, "the context's namespace");
  for (const name of input.open ?? []) add(name, 'open in the Cluster view');
  for (const name of [...(input.known ?? [])].sort()) add(name);
  return [...out.values()];
}
