/**
 * `# tether-lint disable=<id>[,<id>...]` comments. On a line of its own the comment silences the
 * next line that has content; after content it silences its own line;
 * `# tether-lint disable-document=<id>` silences the whole YAML document it is in. `all` matches
 * every rule.
 */
export interface Suppressions {
  isSuppressed(ruleId: string, line: number, documentIndex: number): boolean;
}

const DIRECTIVE = /#\s*tether-lint\s+(disable|disable-document)=([\w.,\s-]+)/;

export const NO_SUPPRESSIONS: Suppressions = { isSuppressed: () => false };

export function findSuppressions(text: string): Suppressions {
  if (!text.includes('tether-lint')) return NO_SUPPRESSIONS;
  const byLine = new Map<number, Set<string>>();
  const byDocument = new Map<number, Set<string>>();
  const lines = text.split('\n');
  let documentIndex = 0;
  let sawContent = false;
  let pending: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trim();
    if (/^---(\s|$)/.test(line)) {
      if (sawContent) documentIndex++;
      sawContent = false;
      continue;
    }
    const m = line.match(DIRECTIVE);
    const ids = m ? m[2].split(',').map((s) => s.trim()).filter(Boolean) : [];
    if (m && m[1] === 'disable-document') {
      add(byDocument, documentIndex, ids);
      continue;
    }
    const isComment = trimmed.startsWith('#');
    if (trimmed === '' || isComment) {
      if (m) pending.push(...ids);
      continue;
    }
    sawContent = true;
    if (pending.length) {
      add(byLine, i, pending);
      pending = [];
    }
    if (m) add(byLine, i, ids);
  }
  return {
    isSuppressed(ruleId, line, doc) {
      const l = byLine.get(line);
      const d = byDocument.get(doc);
      return !!(l && (l.has(ruleId) || l.has('all'))) || !!(d && (d.has(ruleId) || d.has('all')));
    },
  };
}

function add(map: Map<number, Set<string>>, key: number, ids: string[]): void {
  const set = map.get(key) ?? new Set<string>();
  for (const id of ids) set.add(id);
  map.set(key, set);
}
