/**
 * Every failure that reaches a user is an ExplainedError: what failed, the likely cause, and the
 * next step. `reason` is a stable machine-readable tag that views and tests switch on. A next step
 * that depends on where the user is (a palette command, a command line, a tool call) is a `step`
 * code with data (nextStep.ts): each front door words it with `explainedText`. A refusal carries
 * its remedy as data too (`access`): the Roles that grant what is missing.
 */
import { joinRemedy, neutralStepWords, type NextStep, type StepWords } from './nextStep';
import type { AccessAdvice } from './permissions/remedy';

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
  /** The next step in words any front door can show, e.g. "Check the VPN, then retry". */
  remedy: string;
  /** A next step each front door words its own way, said after `remedy`. */
  step?: NextStep;
  /** HTTP status when the API server answered. */
  status?: number;
  /** The API server the request went to, and its kubeconfig context, when known. */
  server?: string;
  context?: string;
  /** A refusal's missing permissions and the Roles that grant them. */
  access?: AccessAdvice;
}

export class ExplainedError extends Error implements Explanation {
  readonly reason: FailureReason;
  readonly what: string;
  readonly why: string;
  readonly remedy: string;
  readonly status?: number;
  readonly server?: string;
  readonly context?: string;
  readonly step?: NextStep;
  readonly access?: AccessAdvice;

  constructor(explanation: Explanation, options?: { cause?: unknown }) {
    super(`${explanation.what} failed: ${explanation.why}. ${joinRemedy(explanation.remedy, explanation.step, neutralStepWords)}`, options);
    this.name = 'ExplainedError';
    this.reason = explanation.reason;
    this.what = explanation.what;
    this.why = explanation.why;
    this.remedy = explanation.remedy;
    this.status = explanation.status;
    this.server = explanation.server;
    this.context = explanation.context;
    if (explanation.step) this.step = explanation.step;
    if (explanation.access) this.access = explanation.access;
  }

  /** The explanation as a plain object (for JSON output and copies with another `what`). */
  toExplanation(): Explanation {
    const out: Explanation = { reason: this.reason, what: this.what, why: this.why, remedy: this.remedy };
    if (this.status !== undefined) out.status = this.status;
    if (this.step) out.step = this.step;
    if (this.access) out.access = this.access;
    if (this.server) out.server = this.server;
    if (this.context) out.context = this.context;
    return out;
  }
}

/** "What failed: why. Next step." with the next step in a front door's words. */
export function explainedText(err: Explanation, words: StepWords): string {
  return `${err.what} failed: ${err.why}. ${joinRemedy(err.remedy, err.step, words)}`;
}

/** The remedy with the next step in a front door's words. */
export function remedyText(err: Explanation, words: StepWords): string {
  return joinRemedy(err.remedy, err.step, words);
}

export function isCancellation(err: unknown): boolean {
  return (
    (err instanceof ExplainedError && err.reason === 'Cancelled') ||
    (err instanceof Error && err.name === 'AbortError')
  );
}
