/** Completion items as plain data: the editor maps them to its own; tests read them as they are. */

/** Where an item came from. Every item says it, in `origin`. */
export type ItemSource = 'schema' | 'workspace' | 'cluster' | 'template';

export type ItemKind = 'field' | 'value' | 'enum' | 'kind' | 'reference' | 'snippet' | 'label' | 'resource';

export interface CompletionEntry {
  label: string;
  kind: ItemKind;
  /** One line next to the label: a type, a count, where the object lives. */
  detail?: string;
  /** Longer text: the first sentence of a field's description, what an item inserts. */
  documentation?: string;
  /** What is inserted: plain text, or a snippet (`$1`, `${1:default}`) when `snippet`. */
  insertText: string;
  snippet: boolean;
  /** The span replaced, offsets into the document's text. */
  replaceStart: number;
  replaceEnd: number;
  /** Order among items (compared as strings). */
  sortText: string;
  filterText?: string;
  deprecated?: boolean;
  source: ItemSource;
  /** Where it came from, in words: "Kubernetes 1.34 schema", "workspace: k8s/api.yaml", "cluster prod, namespace shop". */
  origin: string;
}

export interface CompletionResult {
  items: CompletionEntry[];
  /** Cluster answers were still being read: asking again on the next keystroke may give more. */
  incomplete: boolean;
}

/** Escapes text for use inside a snippet. */
export function snippetText(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** The first sentence of a description, for an item's documentation line. */
export function firstSentence(description: string | undefined): string | undefined {
  if (!description) return undefined;
  const m = /^(.+?[.!?])(?:\s|$)/.exec(description);
  const s = (m ? m[1] : description).trim();
  return s.length > 240 ? `${s.slice(0, 239)}…` : s;
}

/** A field is deprecated when its description says so. */
export function isDeprecated(description: string | undefined): boolean {
  return !!description && /(^|\W)(deprecated|DEPRECATED)\b/.test(description);
}

/** A YAML scalar as it must be written: quoted when plain YAML would read it as something else. */
export function yamlScalar(value: string): string {
  if (value === '') return '""';
  const plain = /^[A-Za-z0-9_./-][A-Za-z0-9_./@+=-]*$/.test(value) && !/^(true|false|yes|no|on|off|null|~|y|n)$/i.test(value) && !/^[-+]?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|\.inf|\.nan)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}
