/**
 * The `tether` commands a CI workflow file runs (docs/ci/*.yml), in order: GitHub Actions jobs'
 * `run:` steps and GitLab CI jobs' `script:` lines, each `tether …` (or `npx -y tether …`) split
 * like a shell splits it, up to a redirection or the next command. Variables stay as written;
 * `expand` fills them in.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface WorkflowCommand {
  job: string;
  /** The arguments after `tether`, e.g. ['sandbox', 'up', '--name', '$SANDBOX']. */
  argv: string[];
}

const operators = new Set(['>', '>>', '2>', '2>&1', '|', '||', '&&', ';', '<']);

/** Words of a shell command line: quotes removed, operators as words of their own. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started || word) words.push(word);
      word = '';
      started = false;
    } else if ('|&;<>'.includes(ch)) {
      if (started || word) words.push(word);
      let op = ch;
      while (i + 1 < line.length && '|&>'.includes(line[i + 1])) op += line[++i];
      words.push(op);
      word = '';
      started = false;
    } else {
      word += ch;
      started = true;
    }
  }
  if (quote) throw new Error(`unclosed quote in: ${line}`);
  if (started || word) words.push(word);
  return words;
}

/** The tether invocations of one script line. */
function tetherCalls(line: string): string[][] {
  const words = shellWords(line);
  const calls: string[][] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] !== 'tether' || (i > 0 && !operators.has(words[i - 1]) && words[i - 1] !== 'npx' && !(words[i - 1].startsWith('-') && words[i - 2] === 'npx'))) continue;
    const argv: string[] = [];
    for (let j = i + 1; j < words.length && !operators.has(words[j]); j++) argv.push(words[j]);
    calls.push(argv);
  }
  return calls;
}

type Yaml = Record<string, unknown>;

const gitlabKeywords = new Set(['stages', 'variables', 'include', 'default', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script']);

function scripts(doc: Yaml): { job: string; lines: string[] }[] {
  const out: { job: string; lines: string[] }[] = [];
  if (doc.jobs && typeof doc.jobs === 'object') {
    for (const [job, spec] of Object.entries(doc.jobs as Record<string, Yaml>)) {
      for (const step of (spec.steps as Yaml[] | undefined) ?? []) if (typeof step.run === 'string') out.push({ job, lines: step.run.split('\n') });
    }
    return out;
  }
  for (const [job, spec] of Object.entries(doc)) {
    if (gitlabKeywords.has(job) || job.startsWith('.') || !spec || typeof spec !== 'object') continue;
    const script = (spec as Yaml).script;
    const lines = Array.isArray(script) ? script.map(String) : typeof script === 'string' ? script.split('\n') : [];
    out.push({ job, lines });
  }
  return out;
}

export function workflowCommands(file: string): WorkflowCommand[] {
  const doc = parse(readFileSync(file, 'utf8')) as Yaml;
  return scripts(doc).flatMap(({ job, lines }) => lines.flatMap((line) => tetherCalls(line).map((argv) => ({ job, argv }))));
}

/** `$NAME` and `${NAME}` filled in from `vars` (an unknown name is an error: the test names them all). */
export function expand(arg: string, vars: Record<string, string>): string {
  return arg.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`the workflow uses $${name}, which the test does not set`);
    return vars[name];
  });
}
