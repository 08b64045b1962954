/**
 * Every failure that reaches a user is an ExplainedError: what failed, the likely cause, and the
 * next step. `reason` is a stable machine-readable tag that views and tests switch on.
 */
export type FailureReason =
  | 'NoKubeconfig'
  | 'InvalidKubeconfig'
  | 'UnknownContext'
  | 'Unreachable'
  | 'TlsError'
  | 'CredentialsExpired'
  | 'Unauthorized'
  | 'ExecPluginMissing'
  | 'ExecPluginFailed'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Gone'
  | 'NotAcceptable'
  | 'TooManyRequests'
  | 'ServerError'
  | 'Timeout'
  | 'Cancelled'
  | 'Unknown';

export interface Explanation {
  reason: FailureReason;
  /** What failed, e.g. "List pods in namespace shop". */
  what: string;
  /** Why, in plain words, e.g. "the cluster at https://10.0.0.1:6443 did not answer". */
  why: string;
  /** The next step, e.g. "Check the VPN, then run Tether: Retry". */
  remedy: string;
  /** HTTP status when the API server answered. */
  status?: number;
  /** The API server the request went to, and its kubeconfig context, when known. */
  server?: string;
  context?: string;
}

export class ExplainedError extends Error implements Explanation {
  readonly reason: FailureReason;
  readonly what: string;
  readonly why: string;
  readonly remedy: string;
  readonly status?: number;
  readonly server?: string;
  readonly context?: string;

  constructor(explanation: Explanation, options?: { cause?: unknown }) {
    super(`${explanation.what} failed: ${explanation.why}. ${explanation.remedy}`, options);
    this.name = 'ExplainedError';
    this.reason = explanation.reason;
    this.what = explanation.what;
    this.why = explanation.why;
    this.remedy = explanation.remedy;
    this.status = explanation.status;
    this.server = explanation.server;
    this.context = explanation.context;
  }
}

export function isCancellation(err: unknown): boolean {
  return (
    (err instanceof ExplainedError && err.reason === 'Cancelled') ||
    (err instanceof Error && err.name === 'AbortError')
  );
}
