/**
 * `# tether-lint disable=<id>[,<id>...]` comments. On a line of its own the comment silences the
 * next line that has content; after content it silences its own line;
 * `# tether-lint disable-document=<id>` silences the whole YAML document it is in. `all` matches
 * every rule.
 */
import { splitDocuments } from './parse';

export interface Suppressions {
  isSuppressed(ruleId: string, line: number, documentIndex: number): boolean;
}

const DIRECTIVE = /#\s*tether-lint\s+(disable|disable-document)=([\w.,\s-]+)/;

export const NO_SUPPRESSIONS: Suppressions = { isSuppressed: () => false };

export function findSuppressions(text: string): Suppressions {
  if (!text.includes('tether-lint')) return NO_SUPPRESSIONS;
  const byLine = new Map<number, Set<string>>();
  const byDocument = new Map<number, Set<string>>();
  const regions = splitDocuments(text);
  let region = 0;
  let pending: string[] = [];
  let pos = 0;
  for (let i = 0; pos <= text.length; i++) {
    let e = text.indexOf('\n', pos);
    if (e === -1) e = text.length;
    const line = text.slice(pos, e);
    while (region < regions.length - 1 && regions[region].end <= pos) region++;
    const trimmed = line.trim();
    const m = line.match(DIRECTIVE);
    const ids = m ? m[2].split(',').map((s) => s.trim()).filter(Boolean) : [];
    if (m && m[1] === 'disable-document') add(byDocument, region, ids);
    else if (trimmed === '' || trimmed.startsWith('#') || /^(---|\.\.\.)(\s|$)/.test(line)) {
      if (m) pending.push(...ids);
    } else {
      if (pending.length) {
        add(byLine, i, pending);
        pending = [];
      }
      if (m) add(byLine, i, ids);
    }
    pos = e + 1;
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
