/** Public data types of the manifest diagnostics engine. Plain data: the editor and the CLI share them. */

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 column. */
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Replace [start, end) (UTF-16 offsets into the original text) with newText. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Diagnostic {
  /** Rule id ("gpu-request-equals-limit", "schema-unknown-field", "yaml-syntax", ...). */
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Offsets into the file's text, [start, end). */
  start: number;
  end: number;
  fixes?: Fix[];
}

/** Facts about a connected cluster for cluster-aware rules; plain data gathered by the caller. */
export interface ClusterFacts {
  nodes: NodeFacts[];
  /** Namespaces and their labels (Pod Security levels), when the user may list them. */
  namespaces?: NamespaceFacts[];
}

export interface NamespaceFacts {
  name: string;
  labels: Record<string, string>;
}

/**
 * How Pod Security findings are reported: "auto" lists them where the target namespace of the
 * connected cluster enforces or warns about a profile and sums them up in one line elsewhere;
 * "restricted" and "baseline" always list that profile's; "summary" never lists them.
 */
export type PodSecurityMode = 'auto' | 'restricted' | 'baseline' | 'summary';

export interface NodeFacts {
  name: string;
  labels: Record<string, string>;
  taints: { key: string; value?: string; effect: string }[];
  /** Allocatable resources as quantity strings, e.g. { "nvidia.com/gpu": "4" }. */
  allocatable: Record<string, string>;
}

export interface LintOptions {
  /** Target Kubernetes version "1.29"; defaults to the bundled schema's version. */
  kubernetesVersion?: string;
  /** Rule id -> severity override or "off". */
  rules?: Record<string, Severity | 'off'>;
  cluster?: ClusterFacts;
  podSecurity?: PodSecurityMode;
  budget?: Partial<Budget>;
  /**
   * How messages name another file, given its path as linted (the editor lints URIs and shows
   * workspace-relative paths). Default: the path as given.
   */
  displayPath?: (path: string) => string;
}

export interface Budget {
  /** Largest file that is parsed at all. */
  maxFileBytes: number;
  /** Largest single document that is validated. */
  maxDocumentBytes: number;
  /** Most YAML nodes walked per document (aliases and merge keys included). */
  maxNodes: number;
  /** Deepest nesting walked. */
  maxDepth: number;
  /** Wall-clock time per file for parse + validation, in milliseconds. */
  maxMillis: number;
  /**
   * Largest document handed to the full YAML parser (documents with anchors, tags, multi-line
   * scalars or errors). That parser cannot be interrupted and slows down badly on some broken
   * input (eemeli/yaml#537), so what it sees is kept small.
   */
  maxFullParseBytes: number;
}

export const DEFAULT_BUDGET: Budget = {
  maxFileBytes: 4 * 1024 * 1024,
  maxDocumentBytes: 1024 * 1024,
  maxNodes: 100_000,
  maxDepth: 64,
  maxMillis: 1500,
  maxFullParseBytes: 128 * 1024,
};

/** What a rule or the schema validator reports, before severity settings and line mapping apply. */
export interface Finding {
  ruleId: string;
  message: string;
  start: number;
  end: number;
  /** Overrides the rule's default severity (e.g. an API version removed vs only deprecated). */
  severity?: Severity;
  fixes?: Fix[];
}
