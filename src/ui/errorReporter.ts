/**
 * The one error handler: every failure is logged (redacted) and shown as a notification with the
 * next step in the editor's words and as a button. Cancellation stays quiet. Failures found in the background (a watch
 * retrying with backoff, a view that could not read the cluster) are shown once per cause — an
 * unreachable cluster once, whichever views met it — and again only after a retry or ten quiet
 * minutes (failureNotices.ts).
 */
import * as vscode from 'vscode';
import { ExplainedError, isCancellation, type FailureReason } from '../kube/errors';
import type { Logger } from '../kube/logger';
import type { AccessCheck } from '../kube/role';
import type { FeatureId } from '../kube/permissions/needs';
import { redact } from '../kube/redact';
import { editorStepWords, stepAction, type StepAction } from './stepWords';
import { failureNotice } from '../kube/failureCause';
import { FailureNotices } from './failureNotices';
import { RoleRemedies, type RefusalFacts } from './roleRemedy';

type RoleAction = 'Copy Role YAML' | 'Show Role YAML';
type Action = 'Retry' | 'Show Log' | 'Select Context' | 'Pick Kubeconfig File' | RoleAction;

const actionsFor: Partial<Record<FailureReason, Action[]>> = {
  NoKubeconfig: ['Pick Kubeconfig File', 'Show Log'],
  InvalidKubeconfig: ['Pick Kubeconfig File', 'Show Log'],
  UnknownContext: ['Select Context', 'Show Log'],
  CredentialsExpired: ['Retry', 'Select Context', 'Show Log'],
  Unauthorized: ['Retry', 'Select Context', 'Show Log'],
  ExecPluginMissing: ['Retry', 'Select Context', 'Show Log'],
  ExecPluginFailed: ['Retry', 'Select Context', 'Show Log'],
  Unreachable: ['Retry', 'Select Context', 'Show Log'],
  TlsError: ['Retry', 'Select Context', 'Show Log'],
  Timeout: ['Retry', 'Show Log'],
  ServerError: ['Retry', 'Show Log'],
  TooManyRequests: ['Retry', 'Show Log'],
  Forbidden: ['Copy Role YAML', 'Show Role YAML', 'Show Log'],
};

const roleActions: ReadonlySet<Action> = new Set<Action>(['Copy Role YAML', 'Show Role YAML']);

const commandFor: Record<Exclude<Action, RoleAction>, string> = {
  Retry: 'tether.retryConnection',
  'Show Log': 'tether.showLog',
  'Select Context': 'tether.selectContext',
  'Pick Kubeconfig File': 'tether.pickKubeconfig',
};

export interface FailureHints {
  /** Permissions the failed operation needs, for "Copy Role YAML" on a 403. */
  needs?: AccessCheck[];
  /** The feature they are for, which names the Role (default: the one that declares them). */
  feature?: FeatureId;
}

export class ErrorReporter {
  private readonly notices = new FailureNotices();

  /** `remedies` offers a refusal's Roles; without it a 403 offers only the log. */
  constructor(
    private readonly logger: Logger,
    private readonly remedies?: RoleRemedies,
  ) {}

  /** A failure of something the user just did: always shown. */
  report(err: unknown, hints: FailureHints = {}): void {
    this.handle(err, hints, false);
  }

  /** A failure found in the background: logged every time, shown once per retry cycle. */
  reportBackground(err: unknown, hints: FailureHints = {}): void {
    this.handle(err, hints, true);
  }

  private handle(err: unknown, hints: FailureHints, background: boolean): void {
    if (isCancellation(err)) return;
    const explained = err instanceof ExplainedError ? err : undefined;
    const text = explained ? failureNotice(explained, editorStepWords) : err instanceof Error ? err.message : String(err);
    // The log keeps what exactly failed; the notice leads with the cause.
    this.logger.error(explained ? explained.message : text);
    if (!explained && err instanceof Error && err.stack) this.logger.debug(err.stack);

    if (background && !this.notices.admit(explained ?? text)) return;

    const refusal: RefusalFacts = { context: explained?.context, access: explained?.access, needs: hints.needs, feature: hints.feature };
    const offersRole = Boolean(this.remedies) && RoleRemedies.offers(refusal);
    const offered: readonly Action[] = (explained && actionsFor[explained.reason]) || ['Show Log'];
    const actions = offered.filter((a) => !roleActions.has(a) || offersRole);
    const step = stepAction(explained?.step);
    const labels: string[] = step ? [step.label, ...actions] : actions;
    void vscode.window.showErrorMessage(redact(text), ...labels).then((choice) => (choice && choice === step?.label ? this.take(step) : this.act(choice as Action | undefined, refusal)));
  }

  private async take(step: StepAction): Promise<void> {
    await vscode.commands.executeCommand(step.command, ...step.args);
  }

  private async act(choice: Action | undefined, refusal: RefusalFacts): Promise<void> {
    if (!choice) return;
    if (choice === 'Copy Role YAML') return this.remedies?.copy(refusal);
    if (choice === 'Show Role YAML') return this.remedies?.show(refusal);
    await vscode.commands.executeCommand(commandFor[choice]);
  }

  /**
   * A refusal the feature works around (it shows less): said once per cause as information, with
   * the Roles that would show the rest.
   */
  reportLimit(err: ExplainedError, hints: FailureHints = {}): void {
    if (!this.notices.admit(err)) return;
    this.logger.info(`${err.what}: ${err.why}`);
    const refusal: RefusalFacts = { context: err.context, access: err.access, needs: hints.needs, feature: hints.feature };
    const actions: Action[] = this.remedies && RoleRemedies.offers(refusal) ? ['Copy Role YAML', 'Show Role YAML'] : [];
    void vscode.window.showInformationMessage(`${err.what}: ${err.why}.`, ...actions).then((choice) => this.act(choice, refusal));
  }

  /** Forget shown failures, e.g. after a successful retry, so the next failure is shown again. */
  reset(): void {
    this.notices.reset();
  }
}
