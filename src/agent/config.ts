/**
 * The agent's configuration, from its environment (set by the relay or sandbox agent Deployment):
 *   TETHER_CONTROL_PORT   port of the control listener on 127.0.0.1 (default 7070)
 *   TETHER_HEALTH_PORT    port of the health endpoint on 127.0.0.1 that the readiness probe asks
 *                         (default 7071), so the probe never knocks on the control port
 *   TETHER_DATA_PORTS     comma-separated ports to listen on 0.0.0.0 for in-cluster callers
 *                         (none in a sandbox without a `local` fork: the tunnel listener is off)
 *   TETHER_TOKEN          the session token, or
 *   TETHER_TOKEN_FILE     a file holding it (a mounted Secret)
 *   TETHER_DIAL_TIMEOUT_MS  deadline for dials to cluster services (default 8000)
 *   TETHER_HOLD_MS        how long an inbound connection waits for the extension (default 5000)
 *   TETHER_PREVIEW_PORT   port of the preview gate on 0.0.0.0 (optional; needs the three below)
 *   TETHER_PREVIEW_UPSTREAM   host:port the gate forwards to (the sandbox's entry Service)
 *   TETHER_PREVIEW_KEY_FILE   file holding the sandbox's link-signing key (a mounted Secret)
 *   TETHER_PREVIEW_SANDBOX    the sandbox a link's token must name
 *   TETHER_PREVIEW_ROUTING    "header": add baggage tether-sandbox=<sandbox> upstream (default "namespace")
 * In a sandbox, the self-cleanup reads its own variables (cleanupKinds.ts cleanupEnv).
 */
import { readFileSync } from 'node:fs';
import { previewKeyFromText } from '../sandbox/preview/previewToken';

export const AGENT_VERSION = '0.1.0';

export interface AgentConfig {
  controlHost: string;
  controlPort: number;
  /** The health endpoint, on controlHost. */
  healthPort: number;
  dataHost: string;
  dataPorts: number[];
  token: string;
  dialTimeoutMs: number;
  holdMs: number;
  /** The preview gate in front of the shareable host, when configured. */
  preview?: PreviewGateSettings;
}

export interface PreviewGateSettings {
  port: number;
  upstream: { host: string; port: number };
  key: Buffer;
  sandbox: string;
  /** Header-routed preview: every upstream request carries `baggage: tether-sandbox=<sandbox>`. */
  baggage?: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function readConfig(env: NodeJS.ProcessEnv, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): AgentConfig {
  const controlPort = port(env.TETHER_CONTROL_PORT ?? '7070', 'TETHER_CONTROL_PORT');
  const healthPort = port(env.TETHER_HEALTH_PORT ?? '7071', 'TETHER_HEALTH_PORT');
  const dataPorts = (env.TETHER_DATA_PORTS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => port(s, 'TETHER_DATA_PORTS'));
  for (const [own, name] of [
    [controlPort, 'control'],
    [healthPort, 'health'],
  ] as const) {
    if (own !== 0 && dataPorts.includes(own)) throw new ConfigError(`TETHER_DATA_PORTS includes the ${name} port ${own}; pick a different TETHER_${name.toUpperCase()}_PORT.`);
  }
  if (controlPort !== 0 && controlPort === healthPort) throw new ConfigError(`TETHER_HEALTH_PORT and TETHER_CONTROL_PORT are both ${controlPort}; the probe must not knock on the control port.`);
  if (new Set(dataPorts).size !== dataPorts.length && !dataPorts.includes(0)) {
    throw new ConfigError(`TETHER_DATA_PORTS lists a port twice: ${env.TETHER_DATA_PORTS}.`);
  }
  const config: AgentConfig = {
    controlHost: '127.0.0.1',
    controlPort,
    healthPort,
    dataHost: '0.0.0.0',
    dataPorts,
    token: token(env, readFile),
    dialTimeoutMs: positive(env.TETHER_DIAL_TIMEOUT_MS ?? '8000', 'TETHER_DIAL_TIMEOUT_MS'),
    holdMs: positive(env.TETHER_HOLD_MS ?? '5000', 'TETHER_HOLD_MS'),
  };
  const preview = previewGate(env, readFile);
  if (preview) {
    if (preview.port !== 0 && dataPorts.includes(preview.port)) throw new ConfigError(`TETHER_DATA_PORTS includes the preview gate's port ${preview.port}; pick a different TETHER_PREVIEW_PORT.`);
    config.preview = preview;
  }
  return config;
}

function previewGate(env: NodeJS.ProcessEnv, readFile: (path: string) => string): PreviewGateSettings | undefined {
  if (!env.TETHER_PREVIEW_PORT) return undefined;
  const gatePort = port(env.TETHER_PREVIEW_PORT, 'TETHER_PREVIEW_PORT');
  const upstream = /^([A-Za-z0-9.-]+):(\d{1,5})$/.exec(env.TETHER_PREVIEW_UPSTREAM ?? '');
  if (!upstream) throw new ConfigError(`TETHER_PREVIEW_UPSTREAM has "${env.TETHER_PREVIEW_UPSTREAM ?? ''}"; expected host:port of the sandbox's entry Service.`);
  const sandbox = env.TETHER_PREVIEW_SANDBOX;
  if (!sandbox) throw new ConfigError('TETHER_PREVIEW_SANDBOX is not set; the gate must know which sandbox its links name.');
  const file = env.TETHER_PREVIEW_KEY_FILE;
  if (!file) throw new ConfigError('TETHER_PREVIEW_KEY_FILE is not set; mount the preview key Secret and point it at the file.');
  let key: Buffer;
  try {
    key = previewKeyFromText(readFile(file));
  } catch (err) {
    throw new ConfigError(`Cannot use the preview key from TETHER_PREVIEW_KEY_FILE=${file}: ${(err as Error).message}. Check the Secret volume mount.`);
  }
  const routing = env.TETHER_PREVIEW_ROUTING ?? 'namespace';
  if (routing !== 'namespace' && routing !== 'header') throw new ConfigError(`TETHER_PREVIEW_ROUTING has "${routing}"; expected "namespace" or "header".`);
  const settings: PreviewGateSettings = { port: gatePort, upstream: { host: upstream[1], port: port(upstream[2], 'TETHER_PREVIEW_UPSTREAM') }, key, sandbox };
  if (routing === 'header') settings.baggage = true;
  return settings;
}

function token(env: NodeJS.ProcessEnv, readFile: (path: string) => string): string {
  if (env.TETHER_TOKEN) return env.TETHER_TOKEN;
  const file = env.TETHER_TOKEN_FILE;
  if (!file) throw new ConfigError('No session token: set TETHER_TOKEN or TETHER_TOKEN_FILE (the path of the mounted token Secret).');
  let text: string;
  try {
    text = readFile(file);
  } catch (err) {
    throw new ConfigError(`Cannot read the session token from TETHER_TOKEN_FILE=${file}: ${(err as Error).message}. Check the Secret volume mount.`);
  }
  const value = text.trim();
  if (!value) throw new ConfigError(`The token file ${file} is empty; the token Secret has no value.`);
  return value;
}

function port(text: string, name: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new ConfigError(`${name} has "${text}", which is not a port number (0-65535).`);
  return n;
}

function positive(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`${name} has "${text}"; expected a positive number of milliseconds.`);
  return n;
}
