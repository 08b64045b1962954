/**
 * What the sandbox's agent is made with that must outlive one editor window: the session token
 * and, with a shareable host, the link-signing key. Both are read back from the sandbox's own
 * Secrets when they are there, so opening the editor again neither restarts the agent (a new token
 * would roll its pod, cutting visitors of the shareable host) nor ends the links shared earlier;
 * fresh random values otherwise. Neither is ever logged.
 */
import { randomBytes } from 'node:crypto';
import type { KubeClient } from '../kube/api';
import { ExplainedError } from '../kube/errors';
import { kinds } from '../kube/kinds';
import type { KubeObject } from '../kube/types';
import { tokenSecretKey } from '../tunnel/relay';
import { sandboxAgentBuilder } from './agentObjects';
import { agentObjectName, type SandboxAgentSource, type SandboxLocationChoice } from './agentRequest';
import { belongsTo } from './labels';
import { previewGateName, previewKeySecretKey, previewKeySecretName } from './preview/previewGateObjects';
import type { PreviewHostSettings } from './preview/previewHost';
import { newPreviewKey, previewKeyFromText } from './preview/previewToken';

/** The value under `key` of the sandbox's Secret `name`, when the sandbox has one that holds it. */
export async function readSandboxSecret(client: KubeClient, where: SandboxLocationChoice, name: string, key: string, signal?: AbortSignal): Promise<string | undefined> {
  let secret: KubeObject;
  try {
    secret = await client.get<KubeObject>(kinds.Secret, where.namespace, name, signal);
  } catch (err) {
    if (err instanceof ExplainedError && err.reason === 'NotFound') return undefined;
    throw err;
  }
  // Someone else's Secret of that name: applying stops with a conflict that says so.
  if (!belongsTo(secret, where.sandbox)) return undefined;
  const data = (secret as { data?: Record<string, string> }).data?.[key];
  return data ? Buffer.from(data, 'base64').toString('utf8') : undefined;
}

/** The link key in its text form: the sandbox's own when its Secret holds a usable one, else a new one. */
export async function readOrNewPreviewKey(client: KubeClient, where: SandboxLocationChoice, signal?: AbortSignal): Promise<string> {
  const text = await readSandboxSecret(client, where, previewKeySecretName(previewGateName(where.sandbox, where.ownNamespace)), previewKeySecretKey, signal);
  try {
    if (text) {
      previewKeyFromText(text);
      return text;
    }
  } catch {
    // unusable: a new one
  }
  return newPreviewKey();
}

/** The session token: the agent's own when its Secret holds one, else a new one. */
export async function readOrNewToken(client: KubeClient, where: SandboxLocationChoice, signal?: AbortSignal): Promise<string> {
  const text = (await readSandboxSecret(client, where, `${agentObjectName(where.sandbox, where.ownNamespace)}-token`, tokenSecretKey, signal))?.trim();
  return text && text.length >= 16 ? text : randomBytes(24).toString('base64url');
}

export interface SandboxAgentSettings {
  /** The text of dist/relay-agent.js. */
  agentScript: string;
  /** The setting tether.relay.image. */
  image?: string;
  /** With tether.preview.domain set: the shareable host. */
  share?: PreviewHostSettings;
  /** Poll interval of the self-cleanup, ms (tests). */
  cleanupPollMs?: number;
  /** Receive the token and (with a shareable host) the key the plan uses, to connect and to sign links. */
  onToken(token: string): void;
  onKey?(key: string): void;
}

/** The agent source for create.ts. */
export function sandboxAgentFor(client: KubeClient, settings: SandboxAgentSettings): SandboxAgentSource {
  return {
    share: Boolean(settings.share),
    async builder(where, signal) {
      const token = await readOrNewToken(client, where, signal);
      settings.onToken(token);
      let share;
      if (settings.share) {
        const key = await readOrNewPreviewKey(client, where, signal);
        settings.onKey?.(key);
        share = { settings: settings.share, key };
      }
      return sandboxAgentBuilder({ agentScript: settings.agentScript, token, image: settings.image, cleanupPollMs: settings.cleanupPollMs, ...(share ? { share } : {}) });
    },
  };
}
