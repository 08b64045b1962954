import { LineIndex } from './lines';
import { parseRegion, parseWholeFile, preflight, splitDocuments, type ParseFinding, type ParsedDocument, type Region } from './parse';
import { toResource, type Resource } from './resource';
import { asSeq, get, shiftTree } from './tree';
import { retirementOf } from './rules/apiVersions';
import { CROSS_RULES, RESOURCE_RULES, ruleMeta } from './rules/index';
import { parseVersion, type RuleContext } from './rules/rule';
import { bundledSchema, type SchemaIndex } from './schema/index';
import { closest } from './schema/suggest';
import { validatesKind } from './server/validate';
import { SchemaValidator } from './schema/validator';
import { settleSchemaAndServer } from './settle';
import { findSuppressions, type Suppressions } from './suppress';
import { DEFAULT_BUDGET, type Budget, type Diagnostic, type Finding, type LintOptions, type Severity } from './types';

/**
 * Kinds the API serves in the bundled groups that the bundled schema does not describe (rarely
 * written by hand): accepted without schema checks rather than reported as unknown.
 */
const UNDESCRIBED_KINDS = new Set([
  'v1/Node', 'v1/Event', 'v1/Binding', 'v1/ComponentStatus',
  'apps/v1/ControllerRevision',
  'storage.k8s.io/v1/CSINode', 'storage.k8s.io/v1/VolumeAttachment', 'storage.k8s.io/v1/CSIStorageCapacity', 'storage.k8s.io/v1/VolumeAttributesClass',
  'networking.k8s.io/v1/IPAddress', 'networking.k8s.io/v1/ServiceCIDR',
  'policy/v1/Eviction', 'autoscaling/v1/Scale',
]);

export interface LintFile {
  path: string;
  text: string;
}

/** One file parsed, schema-checked and run through the per-resource rules: cacheable per version. */
export interface FileAnalysis {
  path: string;
  text: string;
  lines: LineIndex;
  resources: Resource[];
  /** Findings with the document they belong to (-1 for the whole file). */
  findings: { finding: Finding; document: number }[];
  suppressions: Suppressions;
  documents: number;
  millis: number;
  /** Per-document results by document text, for reuse by the next analyze() of this file. */
  cache: Map<string, CachedDocument>;
}

/** One document's parse and per-resource results, at the offset `base` where they were computed. */
export interface CachedDocument {
  base: number;
  document: ParsedDocument;
  /** The resource, or a List's items. */
  resources: Resource[];
  findings: Finding[];
  reusable: boolean;
}

export interface FileReport {
  path: string;
  diagnostics: Diagnostic[];
  documents: number;
  resources: number;
  millis: number;
}

/**
 * The manifest diagnostics engine. Pure and synchronous; never throws on input. The editor keeps
 * one per settings change and calls analyze() per file, then report() with the workspace's
 * analyses for cross-file rules; the CLI calls lint().
 */
export class ManifestLinter {
  readonly budget: Budget;
  private readonly ctx: RuleContext;
  private readonly validator: SchemaValidator;

  constructor(
    private readonly options: LintOptions = {},
    readonly schema: SchemaIndex = bundledSchema(),
  ) {
    this.budget = { ...DEFAULT_BUDGET, ...options.budget };
    this.ctx = { version: parseVersion(options.kubernetesVersion ?? schema.version), cluster: options.cluster, displayPath: options.displayPath ?? ((path) => path), podSecurity: options.podSecurity };
    this.validator = new SchemaValidator(schema);
  }

  lint(files: readonly LintFile[]): FileReport[] {
    const analyses = files.map((f) => this.analyze(f));
    return this.report(analyses);
  }

  /**
   * Parses, schema-checks and runs per-resource rules on one file. With the file's previous
   * analysis, documents whose text did not change are reused (moved to their new offsets) instead
   * of being checked again: what keeps re-validation on a keystroke cheap.
   */
  analyze(file: LintFile, previous?: FileAnalysis): FileAnalysis {
    const started = performance.now();
    const deadline = Date.now() + this.budget.maxMillis;
    const findings: FileAnalysis['findings'] = [];
    const resources: Resource[] = [];
    const cache = new Map<string, CachedDocument>();
    const fileFindings: ParseFinding[] = [];
    const mode = preflight(file.text, this.budget, fileFindings);
    // A skipped file only reports at offset 0: do not index a huge text's lines for that.
    const lines = new LineIndex(mode === 'skip' ? '' : file.text);
    for (const f of fileFindings) findings.push({ finding: f, document: -1 });
    let documents = 0;
    if (mode === 'whole') {
      const parseFindings: ParseFinding[] = [];
      const docs = parseWholeFile(file.text, this.budget, deadline, parseFindings);
      documents = docs.length;
      for (const f of parseFindings) findings.push({ finding: f, document: documentAt(docs, f.start) });
      for (const doc of docs) {
        const out: Finding[] = [];
        resources.push(...this.document(file.path, file.text, doc, out));
        for (const finding of out) findings.push({ finding, document: doc.index });
      }
    } else if (mode === 'regions') {
      const regions = splitDocuments(file.text);
      documents = regions.length;
      for (let index = 0; index < regions.length; index++) {
        const region = regions[index];
        if (Date.now() > deadline) {
          findings.push({ finding: { ruleId: 'skipped', message: `skipped: documents ${index + 1}-${regions.length} not validated, over the time budget of ${this.budget.maxMillis} ms`, start: region.start, end: region.start }, document: index });
          break;
        }
        const key = file.text.slice(region.start, region.end);
        // A document repeated in the same file is checked again: cached trees move in place.
        const cached = cache.has(key) ? undefined : previous?.cache.get(key);
        const entry = !cached ? this.region(file, region, index, deadline) : cached.base !== region.start ? moveDocument(cached, region.start, index, file.text) : reindex(cached, index, file.text);
        if (!cache.has(key) && entry.reusable) cache.set(key, entry);
        resources.push(...entry.resources);
        for (const finding of entry.findings) findings.push({ finding, document: index });
      }
    }
    return { path: file.path, text: file.text, lines, resources, findings, suppressions: findSuppressions(file.text), documents, millis: performance.now() - started, cache };
  }

  private region(file: LintFile, region: Region, index: number, deadline: number): CachedDocument {
    const out: Finding[] = [];
    const doc = parseRegion(file.text, region, index, this.budget, deadline, out as ParseFinding[]);
    const found = this.document(file.path, file.text, doc, out);
    // Notes that name the document's position or the clock are not reused.
    return { base: region.start, document: doc, resources: found, findings: out, reusable: !out.some((f) => f.ruleId === 'skipped') };
  }

  /** Runs the cross-file rules over the analyses and produces final, positioned diagnostics. */
  report(analyses: readonly FileAnalysis[]): FileReport[] {
    const cross = new Map<Resource, Finding[]>();
    const all = analyses.flatMap((a) => a.resources);
    for (const rule of CROSS_RULES) {
      try {
        rule.check(all, this.ctx, (r, f) => {
          const list = cross.get(r) ?? [];
          list.push(f);
          cross.set(r, list);
        });
      } catch (err) {
        const first = analyses[0];
        if (first) first.findings.push({ finding: internalError(rule.meta[0].id, err), document: -1 });
      }
    }
    return analyses.map((a) => {
      const items = [...a.findings];
      for (const r of a.resources) for (const f of cross.get(r) ?? []) items.push({ finding: f, document: r.document.index });
      const diagnostics: Diagnostic[] = [];
      for (const { finding, document } of items) {
        const d = this.toDiagnostic(a, finding, document);
        if (d) diagnostics.push(d);
      }
      diagnostics.sort((x, y) => x.start - y.start || x.end - y.end);
      return { path: a.path, diagnostics, documents: a.documents, resources: a.resources.length, millis: a.millis };
    });
  }

  /** Checks one document: a resource, or each item of a List (as `kubectl get -o yaml` writes). */
  private document(path: string, text: string, doc: ParsedDocument, out: Finding[]): Resource[] {
    if (!doc.root || (doc.root.kind === 'scalar' && doc.root.value === null)) return [];
    const resource = toResource(path, text, doc);
    if (!resource) {
      out.push({ ruleId: 'skipped', message: `skipped: document ${doc.index + 1} is not a Kubernetes resource (no apiVersion and kind)`, start: doc.root.start, end: doc.root.start });
      return [];
    }
    if (resource.kind === 'List' && resource.apiVersion === 'v1') {
      const items: Resource[] = [];
      for (const item of asSeq(get(resource.root, 'items'))) {
        const r = toResource(path, text, { ...doc, root: item });
        if (r) {
          this.check(r, out);
          items.push(r);
        }
      }
      return items;
    }
    this.check(resource, out);
    return [resource];
  }

  private check(resource: Resource, out: Finding[]): void {
    const first = out.length;
    const typeName = this.schema.typeForKind(resource.apiVersion, resource.kind);
    if (typeName) {
      this.guard('schema', out, () => this.validator.validate(resource.root, typeName, resource.kind, out, validatesKind(resource.apiVersion, resource.kind), resource.text));
    } else {
      this.unknownKind(resource, out);
    }
    for (const rule of RESOURCE_RULES) this.guard(rule.meta[0].id, out, () => rule.check(resource, this.ctx, out));
    settleSchemaAndServer(resource.root, out, first, (id) => this.options.rules?.[id] !== 'off');
  }

  private unknownKind(r: Resource, out: Finding[]): void {
    const kindNode = r.root.pairs.find((p) => p.key.value === 'kind')?.value;
    if (!kindNode) return;
    const served = this.schema.apiVersionsOf(r.kind);
    if (served.length > 0) {
      // A retired apiVersion is reported by the api-version rules with its replacement.
      if (retirementOf(r.apiVersion, r.kind)) return;
      out.push({ ruleId: 'schema-unknown-kind', message: `${r.kind} is not served as ${r.apiVersion}; use ${served.join(' or ')}`, start: kindNode.start, end: kindNode.end });
      return;
    }
    if (r.kind.endsWith('List') || UNDESCRIBED_KINDS.has(`${r.apiVersion}/${r.kind}`)) return;
    const kindsInVersion = Object.keys(this.schema.set.kinds).filter((k) => k.startsWith(`${r.apiVersion}/`) && k.lastIndexOf('/') === r.apiVersion.length).map((k) => k.slice(r.apiVersion.length + 1));
    if (kindsInVersion.length === 0) return; // a custom resource or an API the schema does not cover
    const s = closest(r.kind, kindsInVersion);
    out.push({
      ruleId: 'schema-unknown-kind',
      message: `${r.apiVersion} has no kind "${r.kind}"${s ? `; did you mean "${s}"?` : ''}`,
      start: kindNode.start,
      end: kindNode.end,
      fixes: s && kindNode.kind === 'scalar' && !kindNode.quoted ? [{ title: `Change kind to ${s}`, edits: [{ start: kindNode.start, end: kindNode.end, newText: s }] }] : undefined,
    });
  }

  private guard(id: string, out: Finding[], run: () => void): void {
    try {
      run();
    } catch (err) {
      out.push(internalError(id, err));
    }
  }

  private toDiagnostic(a: FileAnalysis, f: Finding, document: number): Diagnostic | undefined {
    const meta = ruleMeta(f.ruleId);
    const configured = this.options.rules?.[f.ruleId];
    if (configured === 'off') return undefined;
    const severity: Severity = configured ?? f.severity ?? meta?.severity ?? 'warning';
    // The parser reports some errors one past the end of the text; keep every range inside it.
    const start = Math.max(0, Math.min(f.start, a.text.length));
    const end = Math.max(start, Math.min(f.end, a.text.length));
    const range = a.lines.range(start, end);
    if (a.suppressions.isSuppressed(f.ruleId, range.start.line, document)) return undefined;
    const d: Diagnostic = { ruleId: f.ruleId, severity, message: f.message, range, start, end };
    if (f.fixes?.length) d.fixes = f.fixes;
    return d;
  }
}

/**
 * A schema finding at the very place a server-* error names (an enum value both reject) says the
 * same thing twice: the server's wording stays, the schema's goes.
 */
function documentAt(docs: readonly ParsedDocument[], offset: number): number {
  for (const d of docs) if (offset >= d.start && offset <= d.end) return d.index;
  return -1;
}

function internalError(id: string, err: unknown): Finding {
  return { ruleId: 'skipped', message: `skipped: ${id} checks failed on this input (${err instanceof Error ? err.message : String(err)})`, start: 0, end: 0 };
}

/** Reuses a cached document at a new offset: its tree moves in place, findings are copied. */
function moveDocument(c: CachedDocument, base: number, index: number, text: string): CachedDocument {
  const delta = base - c.base;
  if (c.document.root) shiftTree(c.document.root, delta);
  const document: ParsedDocument = { index, start: c.document.start + delta, end: c.document.end + delta, root: c.document.root };
  const resources = c.resources.map((r) => ({ ...r, document, text }));
  const findings = c.findings.map((f) => ({
    ...f,
    start: f.start + delta,
    end: f.end + delta,
    fixes: f.fixes?.map((x) => ({ title: x.title, edits: x.edits.map((e) => ({ start: e.start + delta, end: e.end + delta, newText: e.newText })) })),
  }));
  return { base, document, resources, findings, reusable: true };
}

function reindex(c: CachedDocument, index: number, text: string): CachedDocument {
  if (c.document.index === index && c.resources.every((r) => r.text === text)) return c;
  const document = c.document.index === index ? c.document : { ...c.document, index };
  return { ...c, document, resources: c.resources.map((r) => ({ ...r, document, text })) };
}
