/** Next steps in the words of an agent talking to `tether mcp`: its tools and arguments. */
import { settingEnvName } from '../../engine/settings';
import type { StepWords } from '../../kube/nextStep';

export const mcpStepWords: StepWords = (step) => {
  switch (step.code) {
    case 'preview':
      return 'call the preview tool again';
    case 'showLogs':
      return 'read the logs with the pod_logs tool (sandbox_status lists the pods)';
    case 'deleteSandbox':
      return `delete it with the sandbox_delete tool (sandbox "${step.sandbox}")`;
    case 'fixSpec':
      return `fix ${step.file}; nothing was created`;
    case 'createSpec':
      return "write a tether.yaml in the workspace: its baseline namespace, the workloads to fork and the preview's Service (schemas/tether.schema.json documents it)";
    case 'changeSetting': {
      const name = settingEnvName(step.setting);
      return step.value === '' ? `unset ${name} in the MCP server's environment` : `set ${name}${step.value === undefined ? '' : `=${step.value}`} in the MCP server's environment`;
    }
    case 'takeOver':
      return `ask the user whether to take it over from ${step.holder} (it stops there), then call the tool again with takeOver: true`;
    case 'selectContext':
      return 'pass context (a kubeconfig context name), or start the server with --context';
    case 'pickKubeconfig':
      return 'start the server with --kubeconfig naming an existing file, or unset TETHER_KUBECONFIG';
    case 'installOnPath':
      return `make sure \`${step.command}\` is on the PATH the MCP server runs with`;
    case 'grantRoles':
      return 'show the user the YAML that follows, for a cluster admin to apply; nothing can be done about it with these tools';
  }
};
