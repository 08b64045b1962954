/**
 * How the CLI ends: its exit codes (0 ok, 1 a failed check or finding or operation, 2 usage,
 * 3 the cluster unreachable or forbidden, 130 interrupted), next steps in its own words (its
 * commands and flags, the TETHER_* variables), and every failure explained on stderr (and, with
 * --json, as one JSON object on stdout).
 */
import { CommanderError } from 'commander';
import { settingEnvName } from '../engine/settings';
import { ExplainedError, explainedText, isCancellation, remedyText, type FailureReason } from '../kube/errors';
import type { StepWords } from '../kube/nextStep';
import { adviceYaml, describeNeed, type AccessAdvice } from '../kube/permissions/remedy';
import { MissingPathError } from '../manifests/yamlFiles';

export const exitCode = { ok: 0, failed: 1, usage: 2, cluster: 3, interrupted: 130 } as const;

/** A command line that cannot run as given: exit 2 with the reason and the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const cliStepWords: StepWords = (step) => {
  switch (step.code) {
    case 'preview':
      return 'run `tether preview` again';
    case 'showLogs':
      return "read its logs (`tether sandbox status` shows the pods and their last problems, `kubectl logs` the rest)";
    case 'deleteSandbox':
      return `run \`tether sandbox down --name ${step.sandbox}\``;
    case 'fixSpec':
      return `fix ${step.file}; nothing was created`;
    case 'createSpec':
      return 'write a tether.yaml, or name the forks on the command line (`tether sandbox up --fork api=image:REF`)';
    case 'changeSetting': {
      const name = settingEnvName(step.setting);
      if (step.value === '') return `unset ${name}`;
      return step.value === undefined ? `set ${name}` : `set ${name}=${step.value}`;
    }
    case 'takeOver':
      return `stop it where ${step.holder} runs it, or run this again with --take-over`;
    case 'selectContext':
      return 'pass --context NAME, or choose a current context (`kubectl config use-context NAME`)';
    case 'pickKubeconfig':
      return 'pass --kubeconfig with an existing file, or unset TETHER_KUBECONFIG to use KUBECONFIG or ~/.kube/config';
    case 'installOnPath':
      return `make sure \`${step.command}\` is on the PATH`;
    case 'grantRoles':
      return `its YAML follows (with --json: error.access.yaml), to apply with \`kubectl apply -f\``;
  }
};

/** Failures about reaching the cluster or being allowed in it, rather than about what was asked. */
const clusterReasons = new Set<FailureReason>(['NoKubeconfig', 'InvalidKubeconfig', 'UnknownContext', 'TlsError', 'CredentialsExpired', 'Unauthorized', 'ExecPluginMissing', 'ExecPluginFailed']);

export function exitCodeOf(err: unknown): number {
  if (isCancellation(err)) return exitCode.interrupted;
  if (err instanceof UsageError || err instanceof MissingPathError) return exitCode.usage;
  if (err instanceof CommanderError) return err.exitCode === 0 ? exitCode.ok : exitCode.usage;
  if (err instanceof ExplainedError) {
    if (clusterReasons.has(err.reason)) return exitCode.cluster;
    // Forbidden by the cluster (RBAC answered 403), not Tether declining someone else's sandbox.
    if (err.reason === 'Forbidden' && err.status === 403) return exitCode.cluster;
    // Unreachable or timing out is the cluster's only when the failure was talking to the API server.
    if ((err.reason === 'Unreachable' || err.reason === 'Timeout') && err.server) return exitCode.cluster;
    if (err.step?.code === 'fixSpec' || err.step?.code === 'createSpec') return exitCode.usage;
  }
  return exitCode.failed;
}

/** What --json prints when the user stopped the command. */
export const interruptedJson = { error: { reason: 'Cancelled', why: 'interrupted' }, exitCode: exitCode.interrupted } as const;

/** The failure as the JSON object --json prints: what, why, the next step (worded and as data), the exit code. */
export function failureJson(err: unknown): Record<string, unknown> {
  const code = exitCodeOf(err);
  if (err instanceof ExplainedError) {
    const error: Record<string, unknown> = { reason: err.reason, what: err.what, why: err.why, next: remedyText(err, cliStepWords) };
    if (err.step) error.step = err.step;
    if (err.access) error.access = accessJson(err.access);
    return { error, exitCode: code };
  }
  return { error: { reason: err instanceof UsageError ? 'Usage' : 'Unknown', why: err instanceof Error ? err.message : String(err) }, exitCode: code };
}

/** A refusal's remedy as --json gives it: what is missing, the Roles' names, their YAML (bound to who was refused, when known). */
function accessJson(access: AccessAdvice): Record<string, unknown> {
  return { feature: access.feature, missing: access.missing.map(describeNeed), roles: access.roles.map((r) => ({ kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) })), yaml: adviceYaml(access, access.user) };
}

/** The failure for people: "tether: what failed: why. Next step.", then a refusal's Roles as YAML. */
export function failureText(err: unknown): string {
  if (err instanceof ExplainedError) return `tether: ${explainedText(err, cliStepWords)}${err.access ? `\n${adviceYaml(err.access, err.access.user)}` : ''}`;
  return `tether: ${err instanceof Error ? err.message : String(err)}`;
}
