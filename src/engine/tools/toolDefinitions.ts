/**
 * The agent tools, defined once: names, descriptions, JSON Schema inputs and outputs, and whether
 * they only read. The MCP server (`tether mcp`) serves all of them; the editor's language-model
 * tools are the ones with an `editor` entry, and package.json's `languageModelTools` is exactly
 * `languageModelToolContribution` of those (a unit test keeps them equal). Plain data, so the
 * extension bundle carries no schema library.
 */
import { editorToolNames } from './editorToolNames';

/** The JSON Schema subset the tools use. */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'boolean' | 'integer' | 'number';
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
}

export interface ToolAnnotations {
  /** Changes nothing anywhere. */
  readOnlyHint: boolean;
  /** May delete or overwrite what exists (only meaningful when not read-only). */
  destructiveHint?: boolean;
  /** Calling it again with the same input changes nothing more. */
  idempotentHint?: boolean;
  /** Reaches beyond the local computer (the cluster). */
  openWorldHint?: boolean;
}

export interface AgentTool {
  /** The MCP tool name. */
  name: string;
  title: string;
  /** What the model reads to decide when to call it. */
  description: string;
  inputSchema: JsonSchema & { type: 'object' };
  outputSchema: JsonSchema & { type: 'object' };
  annotations: ToolAnnotations;
  /** Also a VS Code language-model tool, registered by the extension under `name`. */
  editor?: { name: string; displayName: string; toolReferenceName: string; icon: string; tags: string[]; userDescription: string };
}

const str = (description: string): JsonSchema => ({ type: 'string', description });
const bool = (description: string): JsonSchema => ({ type: 'boolean', description });
const strings = (description: string): JsonSchema => ({ type: 'array', items: { type: 'string' }, description });

const context = str('The kubeconfig context to use (default: the selected one in the editor, or the current context of the kubeconfig).');
const sandboxName = { type: 'string', pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$', description: 'The sandbox, e.g. jane-feature-login (default: the workspace\'s own, named for the developer and the checked-out branch).' } satisfies JsonSchema;

const pod: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    role: str('"agent" for the sandbox\'s agent (the tunnels of its local forks, the shareable host, the cleanup after its TTL), "fork" for a forked workload\'s pod, "check" for a check\'s pod.'),
    phase: { type: 'string' },
    ready: { type: 'boolean' },
    restarts: { type: 'integer' },
    problem: str('Why it is not ready.'),
  },
  required: ['name', 'role', 'phase', 'ready', 'restarts'],
};

const sandboxReport: JsonSchema = {
  type: 'object',
  properties: {
    sandbox: { type: 'string' },
    namespace: { type: 'string' },
    context: { type: 'string' },
    owner: { type: 'string' },
    developer: { type: 'string' },
    mine: { type: 'boolean' },
    state: { type: 'string', enum: ['active', 'stale', 'orphan'], description: 'active: renewed recently; stale: its holder stopped renewing; orphan: lapsed past its TTL (cleaned up soon).' },
    holder: str('Who runs it now, e.g. "jane@laptop/vscode"; absent once released.'),
    placement: { type: 'string', enum: ['namespace', 'shared'] },
    baselineNamespace: { type: 'string' },
    ttlSeconds: { type: 'integer' },
    expiresAt: { type: 'string', description: 'When its TTL runs out (ISO time), unless renewed.' },
    remainingSeconds: { type: 'integer' },
    running: { type: 'object', description: 'Present when this process runs it: the local preview URL, tunnels, Lease renewal, recent problems.' },
    forks: strings('Its forked workloads; a local fork shows as "api (local)".'),
    pods: { type: 'array', items: pod },
    events: strings('Recent events of its objects, newest last.'),
  },
  required: ['sandbox', 'namespace', 'context', 'owner', 'mine', 'state', 'placement', 'ttlSeconds', 'remainingSeconds'],
};

export const agentTools: readonly AgentTool[] = [
  {
    name: 'preview',
    title: 'Preview changes in the Tether sandbox',
    description:
      "Ensures the Tether sandbox of the open workspace (from tether.yaml) is applied in the Kubernetes cluster, its local forks are tunneled to this computer, and its preview URL answers; then returns the preview URL (http://127.0.0.1:<port>/...), the status of the sandbox's pods and the last error lines from their logs and the tunnel. Use it after editing the service to check the change end to end against the real cluster: fetch the URL and read the errors. It creates or updates cluster objects labelled as the user's sandbox; it never changes the shared baseline. Takes seconds when nothing runs yet and under a second when the preview already runs. With `preview.routing: header` in tether.yaml, the URL is a local proxy into the baseline's entry Service that adds `baggage: tether-sandbox=<sandbox>` to every request; the answer names the routing and gives the equivalent curl. When a preview domain is configured, the answer also carries the sandbox's shareable URL. A sandbox runs in one place at a time: when another editor window, terminal or agent runs it, the call fails and says who; takeOver runs it here instead.",
    inputSchema: {
      type: 'object',
      properties: {
        includeLogs: bool("Also read the last error lines of the sandbox pods' logs (default true)."),
        takeOver: bool('Run the sandbox here even while another editor window, terminal or agent runs it (that one stops).'),
        context,
      },
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        url: str('The local preview URL; it answers while this preview runs.'),
        sandbox: { type: 'string' },
        namespace: { type: 'string' },
        context: { type: 'string' },
        warm: bool('True when it already ran and only its health was checked.'),
        status: { type: 'integer', description: 'HTTP status of the health check.' },
        elapsedMs: { type: 'integer' },
        routing: { type: 'object', properties: { header: { type: 'string' }, entry: { type: 'string' }, curl: { type: 'string' } }, required: ['header', 'entry', 'curl'] },
        share: { type: 'object', properties: { url: { type: 'string' }, expiresAt: { type: 'string' } }, required: ['url', 'expiresAt'], description: 'The shareable host (visitors need a signed link once).' },
        pods: { type: 'array', items: pod },
        lastErrors: strings('Error lines of the pods\' logs and of the tunnel, newest last.'),
        notes: strings('Things to know about the sandbox\'s plan.'),
      },
      required: ['url', 'sandbox', 'namespace', 'context', 'warm', 'pods', 'lastErrors', 'notes'],
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    editor: {
      name: editorToolNames.preview,
      displayName: 'Tether: Preview Changes',
      toolReferenceName: 'tetherPreview',
      icon: '$(globe)',
      tags: ['kubernetes', 'preview', 'tether'],
      userDescription: 'Brings up the workspace\'s Tether sandbox and returns its preview URL, pod status and recent errors.',
    },
  },
  {
    name: 'sandbox_status',
    title: 'State of Tether sandboxes',
    description:
      "Reports, without changing anything, the Tether sandboxes in a Kubernetes context: the ones running here (preview URL, tunnel state, Lease renewal, pods, last problems) and every sandbox of the user, others' sandboxes and orphans whose Lease lapsed, with the time left before their TTL runs out. With `sandbox`, that one in detail: its forks, pods and recent events.",
    inputSchema: { type: 'object', properties: { sandbox: { ...sandboxName, description: 'Only report this sandbox (its name, e.g. jane-feature-login), with its forks, pods and events.' }, context }, additionalProperties: false },
    outputSchema: {
      type: 'object',
      properties: { context: { type: 'string' }, sandboxes: { type: 'array', items: sandboxReport }, partial: str('Set when only some namespaces could be searched, and why.') },
      required: ['context', 'sandboxes'],
    },
    annotations: { readOnlyHint: true, openWorldHint: true },
    editor: {
      name: editorToolNames.sandbox_status,
      displayName: 'Tether: Sandbox Status',
      toolReferenceName: 'tetherSandboxStatus',
      icon: '$(vm)',
      tags: ['kubernetes', 'tether'],
      userDescription: 'Reports the state of Tether sandboxes without changing anything.',
    },
  },
  {
    name: 'sandbox_delete',
    title: 'Delete a Tether sandbox',
    description: "Deletes one of the user's own Tether sandboxes now: every object Tether created for it (forks, its agent, Services, the Lease, its own namespace). The shared baseline is never touched, and other people's sandboxes are refused. Without `sandbox`, the workspace's own.",
    inputSchema: { type: 'object', properties: { sandbox: sandboxName, context }, additionalProperties: false },
    outputSchema: {
      type: 'object',
      properties: { sandbox: { type: 'string' }, namespace: { type: 'string' }, context: { type: 'string' }, deleted: strings('The objects deleted, as Kind/name.') },
      required: ['sandbox', 'namespace', 'context', 'deleted'],
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  },
  {
    name: 'run_checks',
    title: 'Run the sandbox\'s checks',
    description: "Runs the checks of tether.yaml (its `checks:` section) as Kubernetes Jobs inside the workspace's sandbox, against its preview (each check gets TETHER_PREVIEW_URL), and returns pass or fail per check with the reason and the end of its log. The sandbox must exist (preview creates it). Reports progress while the checks run; cancelling stops waiting for them.",
    inputSchema: { type: 'object', properties: { sandbox: sandboxName, context }, additionalProperties: false },
    outputSchema: {
      type: 'object',
      properties: {
        sandbox: { type: 'string' },
        namespace: { type: 'string' },
        passed: { type: 'integer' },
        failed: { type: 'integer' },
        cancelled: { type: 'boolean' },
        durationMs: { type: 'integer' },
        checks: {
          type: 'array',
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, state: { type: 'string', enum: ['pending', 'running', 'passed', 'failed', 'cancelled'] }, job: { type: 'string' }, durationMs: { type: 'integer' }, reason: { type: 'string' }, log: { type: 'string' } },
            required: ['name', 'state'],
          },
        },
      },
      required: ['sandbox', 'namespace', 'passed', 'failed', 'cancelled', 'checks'],
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  },
  {
    name: 'lint',
    title: 'Lint Kubernetes YAML',
    description: 'Checks Kubernetes YAML the way the editor does: syntax, the schema (unknown fields, types, required fields, enums, quantities, names), removed and deprecated API versions, GPU rules, workload and Pod Security rules, and rules across files. Give a path (a file or a folder) or the YAML text itself. Returns every finding with its rule, severity, line and column, and the fix when one is certain (edits as offsets into the text). Changes nothing.',
    inputSchema: {
      type: 'object',
      properties: {
        path: str('A YAML file or a folder of them, relative to the workspace.'),
        text: str('YAML text to check instead of a path.'),
        kubernetesVersion: { type: 'string', pattern: '^v?\\d+\\.\\d+', description: 'Target Kubernetes version for the API-version rules, e.g. 1.30.' },
      },
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        errors: { type: 'integer' },
        warnings: { type: 'integer' },
        files: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              path: { type: 'string' },
              resources: { type: 'integer' },
              diagnostics: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { ruleId: { type: 'string' }, severity: { type: 'string' }, message: { type: 'string' }, line: { type: 'integer' }, column: { type: 'integer' }, endLine: { type: 'integer' }, endColumn: { type: 'integer' }, fixes: { type: 'array', items: { type: 'object' } } },
                  required: ['ruleId', 'severity', 'message', 'line', 'column'],
                },
              },
            },
            required: ['path', 'diagnostics'],
          },
        },
      },
      required: ['errors', 'warnings', 'files'],
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  {
    name: 'will_it_schedule',
    title: 'Will it schedule?',
    description: "Checks the pod templates of a Kubernetes manifest (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) against the cluster now: requests (GPUs included) against each node's free capacity, taints and tolerations, nodeSelector, required node affinity and the namespace's ResourceQuotas. Returns per template whether it fits, on which nodes, why not on the others, and a Markdown report. Give a path or the manifest text. Changes nothing.",
    inputSchema: {
      type: 'object',
      properties: {
        path: str('The manifest file, relative to the workspace.'),
        text: str('The manifest text instead of a path.'),
        index: { type: 'integer', minimum: 0, description: 'Only the template of this document (0-based) of the file.' },
        context,
      },
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        context: { type: 'string' },
        templates: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              index: { type: 'integer' },
              kind: { type: 'string' },
              name: { type: 'string' },
              namespace: { type: 'string' },
              fits: { type: 'boolean' },
              summary: { type: 'string' },
              fitsOn: strings('Nodes it fits on now.'),
              caveats: strings('What could not be read, and what that means for the answer.'),
              report: str('The answer as Markdown, node by node.'),
            },
            required: ['index', 'kind', 'name', 'namespace', 'fits', 'summary', 'fitsOn', 'report'],
          },
        },
      },
      required: ['context', 'templates'],
    },
    annotations: { readOnlyHint: true, openWorldHint: true },
  },
  {
    name: 'pod_logs',
    title: 'Logs of a sandbox pod',
    description: "Reads the end of the log of one pod of a Tether sandbox (the workspace's own unless named): a forked workload's, the sandbox's agent or a check's. Only the sandbox's own pods can be read; the baseline's and anything else are refused. Use sandbox_status to see the pod names.",
    inputSchema: {
      type: 'object',
      properties: {
        pod: { type: 'string', minLength: 1, description: 'The pod\'s name (sandbox_status lists them).' },
        sandbox: sandboxName,
        container: str('The container (default: the first).'),
        previous: bool('The previous run of a restarted container.'),
        tailLines: { type: 'integer', minimum: 1, maximum: 5000, description: 'How many lines from the end (default 200).' },
        context,
      },
      required: ['pod'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: { pod: { type: 'string' }, namespace: { type: 'string' }, sandbox: { type: 'string' }, lines: strings('The log lines, oldest first.') },
      required: ['pod', 'namespace', 'sandbox', 'lines'],
    },
    annotations: { readOnlyHint: true, openWorldHint: true },
  },
];

/** The package.json `languageModelTools` entry of a tool the editor registers. */
export function languageModelToolContribution(tool: AgentTool): Record<string, unknown> {
  if (!tool.editor) throw new Error(`the tool "${tool.name}" is not one of the editor's`);
  const { name, displayName, toolReferenceName, icon, tags, userDescription } = tool.editor;
  return { name, displayName, toolReferenceName, canBeReferencedInPrompt: true, icon, tags, userDescription, modelDescription: tool.description, inputSchema: tool.inputSchema };
}

/** The editor's language-model tools, as package.json contributes them. */
export function languageModelToolContributions(): Record<string, unknown>[] {
  return agentTools.filter((t) => t.editor).map(languageModelToolContribution);
}
