/**
 * The relay agent's configuration, from its environment (set by the relay Deployment):
 *   TETHER_CONTROL_PORT   port of the control listener on 127.0.0.1 (default 7070)
 *   TETHER_DATA_PORTS     comma-separated ports to listen on 0.0.0.0 for in-cluster callers
 *   TETHER_TOKEN          the session token, or
 *   TETHER_TOKEN_FILE     a file holding it (a mounted Secret)
 *   TETHER_DIAL_TIMEOUT_MS  deadline for dials to cluster services (default 8000)
 *   TETHER_HOLD_MS        how long an inbound connection waits for the extension (default 5000)
 */
import { readFileSync } from 'node:fs';

export const AGENT_VERSION = '0.1.0';

export interface AgentConfig {
  controlHost: string;
  controlPort: number;
  dataHost: string;
  dataPorts: number[];
  token: string;
  dialTimeoutMs: number;
  holdMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function readConfig(env: NodeJS.ProcessEnv, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): AgentConfig {
  const controlPort = port(env.TETHER_CONTROL_PORT ?? '7070', 'TETHER_CONTROL_PORT');
  const dataPorts = (env.TETHER_DATA_PORTS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => port(s, 'TETHER_DATA_PORTS'));
  if (controlPort !== 0 && dataPorts.includes(controlPort)) {
    throw new ConfigError(`TETHER_DATA_PORTS includes the control port ${controlPort}; pick a different TETHER_CONTROL_PORT.`);
  }
  if (new Set(dataPorts).size !== dataPorts.length && !dataPorts.includes(0)) {
    throw new ConfigError(`TETHER_DATA_PORTS lists a port twice: ${env.TETHER_DATA_PORTS}.`);
  }
  return {
    controlHost: '127.0.0.1',
    controlPort,
    dataHost: '0.0.0.0',
    dataPorts,
    token: token(env, readFile),
    dialTimeoutMs: positive(env.TETHER_DIAL_TIMEOUT_MS ?? '8000', 'TETHER_DIAL_TIMEOUT_MS'),
    holdMs: positive(env.TETHER_HOLD_MS ?? '5000', 'TETHER_HOLD_MS'),
  };
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
