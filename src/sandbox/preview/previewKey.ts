/**
 * The sandbox's link-signing key: read from its Secret when the sandbox already has one, so links
 * shared earlier (from this window or another) stay valid; a fresh random key otherwise. The key is
 * never logged; only the Secret, the gate and link signing see it.
 */
import type { KubeClient } from '../../kube/api';
import { ExplainedError } from '../../kube/errors';
import { kinds } from '../../kube/kinds';
import type { KubeObject } from '../../kube/types';
import { belongsTo } from '../labels';
import { previewGateBuilder, previewGateName, previewKeySecretKey, previewKeySecretName, type PreviewGateBuilder } from './previewGateObjects';
import type { PreviewHostSettings } from './previewHost';
import { newPreviewKey, previewKeyFromText } from './previewToken';

/** Where the sandbox goes, as create.ts knows it once the placement is chosen. */
export interface SandboxLocationChoice {
  sandbox: string;
  namespace: string;
  ownNamespace: boolean;
}

/** The key in its text form: the sandbox's own when its Secret holds a usable one, else a new one. */
export async function readOrNewPreviewKey(client: KubeClient, where: SandboxLocationChoice, signal?: AbortSignal): Promise<string> {
  let secret: KubeObject;
  try {
    secret = await client.get<KubeObject>(kinds.Secret, where.namespace, previewKeySecretName(previewGateName(where.sandbox, where.ownNamespace)), signal);
  } catch (err) {
    if (err instanceof ExplainedError && err.reason === 'NotFound') return newPreviewKey();
    throw err;
  }
  // Someone else's Secret of that name: applying stops with a conflict that says so.
  if (!belongsTo(secret, where.sandbox)) return newPreviewKey();
  const data = (secret as { data?: Record<string, string> }).data?.[previewKeySecretKey];
  const text = data ? Buffer.from(data, 'base64').toString('utf8') : '';
  try {
    previewKeyFromText(text);
    return text;
  } catch {
    return newPreviewKey();
  }
}

export interface PreviewGateSource {
  settings: PreviewHostSettings;
  agentScript: string;
  image?: string;
  /** Poll interval of the gate's self-cleanup, ms (tests). */
  cleanupPollMs?: number;
  /** Receives the key the plan uses, for signing links. */
  onKey: (key: string) => void;
}

/** The gate builder for create.ts: reads (or makes) the key once the sandbox's place is known. */
export function previewGateFor(client: KubeClient, source: PreviewGateSource): (where: SandboxLocationChoice, signal?: AbortSignal) => Promise<PreviewGateBuilder> {
  return async (where, signal) => {
    const key = await readOrNewPreviewKey(client, where, signal);
    source.onKey(key);
    return previewGateBuilder({ settings: source.settings, key, agentScript: source.agentScript, image: source.image, cleanupPollMs: source.cleanupPollMs });
  };
}
