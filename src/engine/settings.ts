/**
 * Tether's settings as one typed object, the same for every front door: the editor reads it from
 * its `tether.*` configuration, the CLI and the MCP server from `TETHER_*` environment variables
 * and flags, each in one place, through `readSettings` here. Values are coerced and defaulted
 * here, checked where they are used (previewHost.ts checks the preview host settings).
 */
import type { SettingKey } from '../kube/nextStep';
import type { RawPreviewHostSettings } from '../sandbox/preview/previewHost';
import type { PodSecurityMode, Severity } from '../manifests/types';

export interface LintSettings {
  enable: boolean;
  /** Severity per rule id, or "off". */
  rules: Record<string, Severity | 'off'>;
  /** Target Kubernetes version for the API-version rules ("" = the schema's). */
  kubernetesVersion: string;
  /** Which Pod Security findings to list: "auto" where the namespace enforces or warns, else one summary line per workload. */
  podSecurity: PodSecurityMode;
  /** "cluster": the selected context's own schema when it can be read; "bundled": always the bundled one. */
  schemaSource: 'cluster' | 'bundled';
  /** Look for Kubernetes YAML in the whole workspace (cross-file rules, the Problems panel). */
  scanWorkspace: boolean;
}

export interface TetherSettings {
  /** Kubeconfig file(s) instead of KUBECONFIG / ~/.kube/config; "" = the default lookup. */
  kubeconfig: string;
  relay: { image: string };
  sandbox: { developer: string; sharedNamespace: string };
  tunnel: { joinWorkloadService: boolean };
  preview: Required<RawPreviewHostSettings>;
  lint: LintSettings;
  gpu: { extraResources: string[] };
}

export const defaultSettings: TetherSettings = {
  kubeconfig: '',
  relay: { image: '' },
  sandbox: { developer: '', sharedNamespace: '' },
  tunnel: { joinWorkloadService: false },
  preview: { domain: '', ingressClass: '', tlsSecret: '', gateway: '', scheme: 'https', linkTtlHours: 24 },
  lint: { enable: true, rules: {}, kubernetesVersion: '', podSecurity: 'auto', schemaSource: 'cluster', scanWorkspace: true },
  gpu: { extraResources: [] },
};

/** Reads one setting by its key under `tether.` (e.g. "preview.domain"); undefined when unset. */
export type SettingReader = (key: string) => unknown;

const severities = new Set(['error', 'warning', 'info', 'hint', 'off']);
const podSecurityModes = new Set<unknown>(['auto', 'restricted', 'baseline', 'summary'] satisfies PodSecurityMode[]);

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value.trim() : fallback;
}

function flag(value: unknown, fallback: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return fallback;
}

function number(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
  return Number.isFinite(n) ? n : fallback;
}

function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
  if (typeof value === 'string') return value.split(',').map((v) => v.trim()).filter(Boolean);
  return [];
}

function rules(value: unknown): Record<string, Severity | 'off'> {
  let entries: [string, unknown][] = [];
  if (value && typeof value === 'object') entries = Object.entries(value);
  else if (typeof value === 'string') entries = value.split(',').map((pair) => pair.split('=').map((s) => s.trim()) as [string, string]);
  return Object.fromEntries(entries.filter(([id, s]) => id && typeof s === 'string' && severities.has(s))) as Record<string, Severity | 'off'>;
}

/** Every setting from `read`, coerced, with the defaults for what is unset or of the wrong type. */
export function readSettings(read: SettingReader): TetherSettings {
  const d = defaultSettings;
  return {
    kubeconfig: text(read('kubeconfig'), d.kubeconfig),
    relay: { image: text(read('relay.image'), d.relay.image) },
    sandbox: { developer: text(read('sandbox.developer'), d.sandbox.developer), sharedNamespace: text(read('sandbox.sharedNamespace'), d.sandbox.sharedNamespace) },
    tunnel: { joinWorkloadService: flag(read('tunnel.joinWorkloadService'), d.tunnel.joinWorkloadService) },
    preview: {
      domain: text(read('preview.domain'), d.preview.domain),
      ingressClass: text(read('preview.ingressClass'), d.preview.ingressClass),
      tlsSecret: text(read('preview.tlsSecret'), d.preview.tlsSecret),
      gateway: text(read('preview.gateway'), d.preview.gateway),
      scheme: text(read('preview.scheme'), d.preview.scheme) === 'http' ? 'http' : 'https',
      linkTtlHours: number(read('preview.linkTtlHours'), d.preview.linkTtlHours),
    },
    lint: {
      enable: flag(read('lint.enable'), d.lint.enable),
      rules: rules(read('lint.rules')),
      kubernetesVersion: text(read('lint.kubernetesVersion'), d.lint.kubernetesVersion),
      podSecurity: podSecurityModes.has(read('lint.podSecurity')) ? (read('lint.podSecurity') as PodSecurityMode) : d.lint.podSecurity,
      schemaSource: read('lint.schemaSource') === 'bundled' ? 'bundled' : 'cluster',
      scanWorkspace: flag(read('lint.scanWorkspace'), d.lint.scanWorkspace),
    },
    gpu: { extraResources: strings(read('gpu.extraResources')) },
  };
}

/** The environment variable a setting is read from outside the editor: "preview.linkTtlHours" -> TETHER_PREVIEW_LINK_TTL_HOURS. */
export function settingEnvName(key: string): string {
  return `TETHER_${key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/\./g, '_').toUpperCase()}`;
}

/** Reads settings from `TETHER_*` environment variables (what the CLI and the MCP server use). */
export function envSettingReader(env: NodeJS.ProcessEnv): SettingReader {
  return (key) => env[settingEnvName(key)];
}

/** The keys next steps may name, for front doors that list where each is set. */
export const settingKeys: readonly SettingKey[] = [
  'sandbox.developer',
  'sandbox.sharedNamespace',
  'relay.image',
  'tunnel.joinWorkloadService',
  'preview.domain',
  'preview.gateway',
  'preview.ingressClass',
  'preview.tlsSecret',
  'preview.scheme',
  'preview.linkTtlHours',
];

/** The settings as TETHER_* variables (what the editor hands the MCP server it starts); defaults are left out. */
export function settingsEnv(settings: TetherSettings): Record<string, string> {
  const env: Record<string, string> = {};
  const put = (key: string, value: unknown, fallback: unknown) => {
    if (JSON.stringify(value) === JSON.stringify(fallback)) return;
    env[settingEnvName(key)] = Array.isArray(value) ? value.join(',') : typeof value === 'object' && value ? Object.entries(value).map(([k, v]) => `${k}=${String(v)}`).join(',') : String(value);
  };
  const d = defaultSettings;
  put('kubeconfig', settings.kubeconfig, d.kubeconfig);
  put('relay.image', settings.relay.image, d.relay.image);
  put('sandbox.developer', settings.sandbox.developer, d.sandbox.developer);
  put('sandbox.sharedNamespace', settings.sandbox.sharedNamespace, d.sandbox.sharedNamespace);
  put('tunnel.joinWorkloadService', settings.tunnel.joinWorkloadService, d.tunnel.joinWorkloadService);
  for (const key of Object.keys(d.preview) as (keyof TetherSettings['preview'])[]) put(`preview.${key}`, settings.preview[key], d.preview[key]);
  for (const key of Object.keys(d.lint) as (keyof LintSettings)[]) put(`lint.${key}`, settings.lint[key], d.lint[key]);
  put('gpu.extraResources', settings.gpu.extraResources, d.gpu.extraResources);
  return env;
}
