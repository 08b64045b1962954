/**
 * The next steps an explained error can point to, as a code plus data rather than words. Each
 * front door says them its own way (a palette command in the editor, a command line in the CLI, a
 * tool call for an agent); `neutralStepWords` is the wording for logs and for code that has no
 * front door of its own.
 */

/** Settings a next step may name; each front door knows where its user sets them (engine/settings.ts). */
export type SettingKey =
  | 'sandbox.developer'
  | 'sandbox.sharedNamespace'
  | 'relay.image'
  | 'tunnel.joinWorkloadService'
  | 'preview.domain'
  | 'preview.gateway'
  | 'preview.ingressClass'
  | 'preview.tlsSecret'
  | 'preview.scheme'
  | 'preview.linkTtlHours';

export type NextStep =
  /** Bring the sandbox's preview up again. */
  | { code: 'preview' }
  /** Read the logs of the sandbox's pods (or of the local process). */
  | { code: 'showLogs' }
  /** Delete the sandbox, which removes what a failed attempt left. */
  | { code: 'deleteSandbox'; sandbox: string }
  /** Fix the errors of the sandbox file; the front door shows where they are. */
  | { code: 'fixSpec'; file: string }
  /** Write a sandbox file for the workspace (or, on the command line, name the forks). */
  | { code: 'createSpec' }
  /** Change a setting (to `value` when there is a right one). */
  | { code: 'changeSetting'; setting: SettingKey; value?: string }
  /** Another front door holds the sandbox: stop it there, or take it over here. */
  | { code: 'takeOver'; sandbox: string; holder: string }
  /** Pick a Kubernetes context. */
  | { code: 'selectContext' }
  /** The kubeconfig the front door was told to use is missing or broken: name another, or go back to KUBECONFIG. */
  | { code: 'pickKubeconfig' }
  /** Put a credential plugin on the PATH the front door runs with. */
  | { code: 'installOnPath'; command: string }
  /**
   * Have a cluster admin apply the Roles a refusal suggests (the error's `access` holds them as
   * data, kube/permissions/remedy.ts): the front door shows their YAML its own way.
   */
  | { code: 'grantRoles'; roles: string[] };

/** A front door's way of saying a next step: one imperative sentence, starting in lower case. */
export type StepWords = (step: NextStep) => string;

export const neutralStepWords: StepWords = (step) => {
  switch (step.code) {
    case 'preview':
      return 'bring the preview up again';
    case 'showLogs':
      return "read the pods' logs (or the local process output)";
    case 'deleteSandbox':
      return `delete sandbox "${step.sandbox}"`;
    case 'fixSpec':
      return `fix the errors listed for ${step.file}; nothing was created`;
    case 'createSpec':
      return 'describe the sandbox in a tether.yaml';
    case 'changeSetting':
      return step.value === undefined ? `change the setting ${step.setting}` : `set ${step.setting} to ${step.value}`;
    case 'takeOver':
      return `stop it where ${step.holder} runs it, or take it over`;
    case 'selectContext':
      return 'select a Kubernetes context';
    case 'pickKubeconfig':
      return 'name an existing kubeconfig file instead, or stop naming one to use KUBECONFIG or ~/.kube/config';
    case 'installOnPath':
      return `make sure \`${step.command}\` is on the PATH Tether runs with`;
    case 'grantRoles':
      return `\`kubectl auth can-i --list\` shows what you hold once ${step.roles.join(' and ')} ${step.roles.length === 1 ? 'is' : 'are'} applied`;
  }
};

/** The remedy and the step together: "Start api on this computer; bring the preview up again". */
export function joinRemedy(remedy: string, step: NextStep | undefined, words: StepWords): string {
  if (!step) return remedy;
  const said = words(step);
  if (!remedy) return said.charAt(0).toUpperCase() + said.slice(1);
  return `${remedy.replace(/[.\s]+$/, '')}; ${said}`;
}
