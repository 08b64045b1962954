/**
 * The pod templates in a YAML manifest file, with where each document starts, for a "Will it
 * schedule?" action above each one. Documents that do not parse or do not run pods are skipped.
 */
import { parseAllDocuments } from 'yaml';
import { podTemplateOf, type PodTemplate } from './podTemplate';

export interface ManifestTemplate {
  /** 0-based position of the document in the file. */
  readonly index: number;
  /** Offset of the document's first content character (where a CodeLens goes). */
  readonly offset: number;
  readonly template: PodTemplate;
}

export function findPodTemplates(text: string): ManifestTemplate[] {
  const out: ManifestTemplate[] = [];
  let index = -1;
  for (const doc of parseAllDocuments(text)) {
    index++;
    if (!('contents' in doc) || doc.errors.length > 0 || !doc.contents) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch {
      continue; // alias bombs and the like: no lens rather than a frozen editor
    }
    const template = podTemplateOf(value);
    if (template) out.push({ index, offset: doc.contents.range?.[0] ?? doc.range[0], template });
  }
  return out;
}

/**
 * The template a command was asked about: the document with that index when one is given, else
 * the document the cursor is in (the last one starting at or before it), else the first.
 */
export function templateAt(
  templates: readonly ManifestTemplate[],
  index: number | undefined,
  cursorOffset: number | undefined,
): ManifestTemplate | undefined {
  if (index !== undefined) return templates.find((t) => t.index === index);
  if (cursorOffset === undefined) return templates[0];
  return [...templates].reverse().find((t) => t.offset <= cursorOffset) ?? templates[0];
}
