/**
 * `tether mcp`'s Model Context Protocol server, on the official SDK's Server: the agent tools as
 * toolDefinitions.ts defines them (JSON Schema inputs and outputs, read-only and destructive
 * hints), arguments checked against their schema (a mismatch is an MCP invalid-params error),
 * progress notifications when the client asks for them, cancellation through the request's signal,
 * and failures as tool errors that say what failed, why and the next step in a tool-caller's words.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { sharedByRequests } from '../../engine/sharedSignal';
import { agentTools, type AgentTool } from '../../engine/tools/toolDefinitions';
import { ExplainedError, explainedText, isCancellation } from '../../kube/errors';
import { redact } from '../../kube/redact';
import { ArgumentsError, toolHandler, type ToolCall } from './mcpTools';
import type { McpSession } from './mcpSession';
import { adviceYaml } from '../../kube/permissions/remedy';
import { mcpStepWords } from './mcpWords';

const validators = new Map<string, z.ZodType>(agentTools.map((t) => [t.name, z.fromJSONSchema(t.inputSchema as Parameters<typeof z.fromJSONSchema>[0])]));

function listed(tool: AgentTool) {
  return { name: tool.name, title: tool.title, description: tool.description, inputSchema: tool.inputSchema, outputSchema: tool.outputSchema, annotations: { title: tool.title, ...tool.annotations } };
}

function checkedArguments(tool: string, args: unknown): Record<string, unknown> {
  const parsed = validators.get(tool)!.safeParse(args ?? {});
  if (parsed.success) return parsed.data as Record<string, unknown>;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`).join('; ');
  throw new McpError(ErrorCode.InvalidParams, `Invalid arguments for tool ${tool}: ${issues}`);
}

function failure(err: unknown): CallToolResult {
  const text = err instanceof ExplainedError ? `${explainedText(err, mcpStepWords)}${err.access ? `\n${adviceYaml(err.access, err.access.user)}` : ''}` : `The tool failed: ${err instanceof Error ? err.message : String(err)}`;
  return { isError: true, content: [{ type: 'text', text: redact(text) }] };
}

export function createMcpServer(session: McpSession, version: string): Server {
  const server = new Server({ name: 'tether', title: 'Tether', version }, { capabilities: { tools: {} }, instructions: 'Tether verifies changes against the real Kubernetes cluster: preview brings up the workspace\'s sandbox (tether.yaml) and returns its URL, pod states and last errors; run_checks runs its checks; lint and will_it_schedule check manifests; pod_logs reads the sandbox\'s pods.' });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: agentTools.map(listed) }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name } = request.params;
    const handler = toolHandler(name);
    if (!handler) throw new McpError(ErrorCode.InvalidParams, `Unknown tool ${name}; the tools are ${agentTools.map((t) => t.name).join(', ')}`);
    const args = checkedArguments(name, request.params.arguments);
    const token = request.params._meta?.progressToken;
    const call: ToolCall = {
      signal: sharedByRequests(extra.signal),
      progress: (progress, total, message) => {
        if (token === undefined || extra.signal.aborted) return;
        const notification: ServerNotification = { method: 'notifications/progress', params: { progressToken: token, progress, ...(total !== undefined ? { total } : {}), message } };
        void extra.sendNotification(notification).catch(() => undefined);
      },
    };
    try {
      const answer = await handler(session, args, call);
      return { content: [{ type: 'text', text: answer.text }], structuredContent: answer.structured };
    } catch (err) {
      if (err instanceof ArgumentsError) throw new McpError(ErrorCode.InvalidParams, `Invalid arguments for tool ${name}: ${err.message}`);
      // A cancelled call gets no answer (the client stopped waiting); this one is never sent.
      if (isCancellation(err) || extra.signal.aborted) return { isError: true, content: [{ type: 'text', text: 'Cancelled.' }] };
      session.engine.logger.error(err instanceof Error ? err : String(err));
      return failure(err);
    }
  });
  return server;
}
