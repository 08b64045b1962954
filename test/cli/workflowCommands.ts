/**
 * The `tether` commands a CI workflow file runs (docs/ci/*.yml), in order: GitHub Actions jobs'
 * `run:` steps and GitLab CI jobs' `script:` lines, each `tether …` split like a shell splits it,
 * up to a redirection or the next command. Only `tether` in a command's place counts (the
 * workflows install it first; `npx tether` would run another package of that name). Variables
 * stay as written; `expand` fills them in.
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
export function tetherCalls(line: string): string[][] {
  const words = shellWords(line);
  const calls: string[][] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] !== 'tether' || (i > 0 && !operators.has(words[i - 1]))) continue;
    const argv: string[] = [];
    for (let j = i + 1; j < words.length && !operators.has(words[j]); j++) argv.push(words[j]);
    calls.push(argv);
  }
  return calls;
}

type Yaml = Record<string, unknown>;

const gitlabKeywords = new Set(['stages', 'variables', 'include', 'default', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script']);

export interface WorkflowJob {
  job: string;
  /** Every script line of the job, in the order it runs them (all `run:` steps of a GitHub job). */
  lines: string[];
}

function scripts(doc: Yaml): WorkflowJob[] {
  const out: WorkflowJob[] = [];
  if (doc.jobs && typeof doc.jobs === 'object') {
    for (const [job, spec] of Object.entries(doc.jobs as Record<string, Yaml>)) {
      const steps = (spec.steps as Yaml[] | undefined) ?? [];
      out.push({ job, lines: steps.flatMap((step) => (typeof step.run === 'string' ? step.run.split('\n') : [])) });
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

/** The jobs of a workflow file with their script lines. */
export function workflowJobs(file: string): WorkflowJob[] {
  return scripts(parse(readFileSync(file, 'utf8')) as Yaml);
}

export function workflowCommands(file: string): WorkflowCommand[] {
  return workflowJobs(file).flatMap(({ job, lines }) => lines.flatMap((line) => tetherCalls(line).map((argv) => ({ job, argv }))));
}

/** `$NAME` and `${NAME}` filled in from `vars` (an unknown name is an error: the test names them all). */
export function expand(arg: string, vars: Record<string, string>): string {
  return arg.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`the workflow uses $${name}, which the test does not set`);
    return vars[name];
  });
}
