/**
 * Building DOM nodes for the pod details webview. Text always goes in through textContent, never
 * innerHTML, so nothing from the cluster (names, messages, log lines) is parsed as HTML.
 */

type Child = Node | string | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; title?: string; attrs?: Record<string, string> } = {}, children: Child[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.title) node.title = props.title;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) {
    if (child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, children: Child[]): void {
  parent.replaceChildren(...children.filter((c): c is Node | string => c !== undefined && c !== false));
}

