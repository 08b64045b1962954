/**
 * What each MCP tool does (their definitions are engine/tools/toolDefinitions.ts): the engine
 * called with the session's workspace, clients and preview loop; the structured output of the
 * tool's outputSchema and a text for models. Nothing secret is returned: no token, key or Secret
 * value, and no signed link (a preview's shareable URL only).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runChecks } from '../../engine/checks';
import { lint, lintOptions, readLintFiles } from '../../engine/lint';
import { ensurePreview, sandboxFor } from '../../engine/preview';
import { sandboxPodLog } from '../../engine/podLogs';
import { sandboxDown } from '../../engine/sandboxDown';
import { willItSchedule } from '../../engine/schedule';
import { findSandbox, locateSandbox, runningOf, sandboxDetails, sandboxListing, sandboxReport } from '../../engine/status';
import { previewText } from '../../engine/tools/toolText';
import { checksOutput, lintOutput, previewOutput, scheduleOutput } from '../../engine/tools/toolResults';
import { workspaceSpec } from '../../engine/workspace';
import { ExplainedError } from '../../kube/errors';
import type { McpSession } from './mcpSession';

/** What a tool call gets besides its arguments. */
export interface ToolCall {
  signal: AbortSignal;
  /** Reports progress (a no-op when the client asked for none). */
  progress(progress: number, total: number | undefined, message: string): void;
}

export interface ToolAnswer {
  structured: Record<string, unknown>;
  text: string;
}

type Args = Record<string, unknown>;
type Handler = (session: McpSession, args: Args, call: ToolCall) => Promise<ToolAnswer>;

const json = (value: object): ToolAnswer => ({ structured: value as Record<string, unknown>, text: JSON.stringify(value, null, 2) });
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A manifest from `path` (in the workspace) or `text`: exactly one of them. */
async function manifestInput(session: McpSession, args: Args, what: string): Promise<{ path?: string; text?: string }> {
  const path = str(args.path);
  const text = typeof args.text === 'string' ? args.text : undefined;
  if ((path === undefined) === (text === undefined)) throw new ArgumentsError(`${what} needs either "path" or "text", not ${path === undefined ? 'neither' : 'both'}`);
  return path === undefined ? { text } : { path: resolve(session.workspace.folder, path) };
}

/** Arguments the schema lets through but the tool cannot use: an MCP error, like a schema failure. */
export class ArgumentsError extends Error {}

const handlers: Record<string, Handler> = {
  async preview(session, args, call) {
    const steps = ['sandbox', 'tunnel', 'heartbeat', 'listener', 'health', 'ready'];
    const result = await ensurePreview(session.engine, session.loop, {
      context: session.context(str(args.context)),
      workspace: session.workspace,
      takeOver: args.takeOver === true,
      includeLogs: args.includeLogs !== false,
      onProgress: (p) => call.progress(steps.indexOf(p.step) + 1, steps.length, p.message),
      signal: call.signal,
    });
    return { structured: previewOutput(result) as unknown as Args, text: previewText(result, { link: false }) };
  },

  async sandbox_status(session, args, call) {
    const context = session.context(str(args.context));
    const client = session.client(context);
    const listing = await sandboxListing(session.engine, client, call.signal);
    const running = session.loop.summaries();
    const named = str(args.sandbox);
    const summaries = named ? [findSandbox(listing, named)].filter((s) => s !== undefined) : [...listing.mine, ...listing.others, ...listing.orphans];
    if (named && summaries.length === 0) throw new ExplainedError({ reason: 'NotFound', what: `Read sandbox "${named}"`, why: `context "${context}" has no sandbox "${named}"`, remedy: 'Bring it up first', step: { code: 'preview' } });
    const sandboxes = await Promise.all(
      summaries.map(async (s) => {
        const live = runningOf(running, context, s);
        const detailed = named !== undefined || live !== undefined;
        return sandboxReport(context, s, live, detailed ? await sandboxDetails(client, s, call.signal) : undefined);
      }),
    );
    return json({ context, sandboxes, ...(listing.partial ? { partial: listing.partial } : {}) });
  },

  async sandbox_delete(session, args, call) {
    const context = session.context(str(args.context));
    const sandbox = str(args.sandbox) ?? (await sandboxFor(session.engine, session.workspace)).sandbox;
    const result = await sandboxDown(session.engine, session.client(context), {
      sandbox,
      stopHere: (name) => session.loop.stop(context, name),
      onProgress: (m) => call.progress(0, undefined, m),
      signal: call.signal,
    });
    return json({ context, sandbox: result.sandbox, namespace: result.namespace ?? '', deleted: result.deleted });
  },

  async run_checks(session, args, call) {
    const context = session.context(str(args.context));
    const spec = await workspaceSpec(session.workspace, 'Run the checks');
    const sandbox = str(args.sandbox) ?? (await sandboxFor(session.engine, session.workspace)).sandbox;
    let done = 0;
    const result = await runChecks(session.engine, session.client(context), {
      spec,
      sandbox,
      signal: call.signal,
      onUpdate: (p) => {
        if (p.state === 'passed' || p.state === 'failed') done++;
        call.progress(done, spec.checks.length, `${p.name}: ${p.state}`);
      },
    });
    return json(checksOutput(result));
  },

  async lint(session, args) {
    const input = await manifestInput(session, args, 'lint');
    const options = lintOptions(session.engine.settings().lint);
    const version = str(args.kubernetesVersion);
    if (version) options.kubernetesVersion = version;
    const files = input.path ? await readLintFiles([input.path]) : [{ path: 'input.yaml', text: input.text ?? '' }];
    return json(lintOutput(lint(files, options)));
  },

  async will_it_schedule(session, args, call) {
    const input = await manifestInput(session, args, 'will_it_schedule');
    const context = session.context(str(args.context));
    const client = session.client(context);
    const text = input.text ?? (await readFile(input.path!, 'utf8'));
    const index = typeof args.index === 'number' ? args.index : undefined;
    const verdicts = await willItSchedule(client, { text, context, defaultNamespace: client.defaultNamespace, index, now: new Date(session.engine.host.clock.now()), signal: call.signal });
    if (verdicts.length === 0) throw new ArgumentsError('the manifest has no Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob to check');
    return json(scheduleOutput(context, verdicts));
  },

  async pod_logs(session, args, call) {
    const context = session.context(str(args.context));
    const client = session.client(context);
    const name = str(args.sandbox) ?? (await sandboxFor(session.engine, session.workspace)).sandbox;
    const where = await locateSandbox(session.engine, client, name, `Read the logs of sandbox "${name}"`, call.signal);
    const pod = String(args.pod);
    const lines = await sandboxPodLog(client, {
      sandbox: where.sandbox,
      namespace: where.namespace,
      pod,
      container: str(args.container),
      previous: args.previous === true,
      tailLines: typeof args.tailLines === 'number' ? args.tailLines : undefined,
      signal: call.signal,
    });
    return { structured: { pod, namespace: where.namespace, sandbox: where.sandbox, lines }, text: lines.join('\n') || '(the log is empty)' };
  },
};

export function toolHandler(name: string): Handler | undefined {
  return handlers[name];
}
