/** Cheap test for "this YAML is probably Kubernetes": an apiVersion and a kind at the start of lines. */
export function looksLikeKubernetes(text: string): boolean {
  const head = text.length > 200_000 ? text.slice(0, 200_000) : text;
  return /^\s*apiVersion:\s*\S/m.test(head) && /^\s*kind:\s*\S/m.test(head);
}
