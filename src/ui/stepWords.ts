/**
 * Next steps (kube/nextStep.ts) in the editor's words: palette commands, settings, the Problems
 * panel; and the notification button that takes the step, when there is one.
 */
import { remedyText, type Explanation } from '../kube/errors';
import type { NextStep, StepWords } from '../kube/nextStep';

export const editorStepWords: StepWords = (step) => {
  switch (step.code) {
    case 'preview':
      return 'run Tether: Preview Changes again';
    case 'showLogs':
      return "read the pod's logs (Show Logs on its row in the Cluster view) or the local process output";
    case 'deleteSandbox':
      return `run Tether: Delete Sandbox on "${step.sandbox}"`;
    case 'fixSpec':
      return `fix ${step.file} (the Problems panel shows each error where it is); nothing was created`;
    case 'createSpec':
      return 'run Tether: Create Sandbox to write one';
    case 'changeSetting':
      if (step.value === '') return `clear the setting tether.${step.setting}`;
      return step.value === undefined ? `change the setting tether.${step.setting}` : `set tether.${step.setting} to ${step.value}`;
    case 'takeOver':
      return `stop it where ${step.holder} runs it, or choose Take Over to run it in this window`;
    case 'selectContext':
      return 'run Tether: Select Context';
    case 'pickKubeconfig':
      return 'pick an existing file with Tether: Pick Kubeconfig File, or clear the tether.kubeconfig setting to use KUBECONFIG or ~/.kube/config';
    case 'installOnPath':
      return `make sure VS Code sees \`${step.command}\` on its PATH (restart VS Code after installing it)`;
    case 'grantRoles':
      return 'Show Role YAML opens it with its binding, Copy Role YAML copies it';
  }
};

/** A notification button that takes the step: its label and the command it runs. */
export interface StepAction {
  label: string;
  command: string;
  args: unknown[];
}

export function stepAction(step: NextStep | undefined): StepAction | undefined {
  switch (step?.code) {
    case 'preview':
      return { label: 'Preview Changes', command: 'tether.previewChanges', args: [] };
    case 'takeOver':
      return { label: 'Take Over', command: 'tether.previewChanges', args: [{ takeOver: true }] };
    case 'createSpec':
      return { label: 'Create Sandbox', command: 'tether.createSandbox', args: [] };
    case 'selectContext':
      return { label: 'Select Context', command: 'tether.selectContext', args: [] };
    case 'fixSpec':
      return { label: 'Show Problems', command: 'workbench.actions.view.problems', args: [] };
    case 'changeSetting':
      return { label: 'Open Settings', command: 'workbench.action.openSettings', args: [`tether.${step.setting}`] };
    default:
      return undefined;
  }
}

/** A failure's next step as the editor says it (its remedy, then its step in the editor's words). */
export function editorRemedy(e: Pick<Explanation, 'remedy' | 'step'> & Partial<Explanation>): string {
  return remedyText({ reason: 'Unknown', what: '', why: '', ...e }, editorStepWords);
}
