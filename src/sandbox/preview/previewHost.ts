/**
 * The shareable preview host: the `tether.preview.*` settings checked, the host name
 * `<sandbox>.<domain>`, and the object that routes it to the sandbox's preview gate, an Ingress
 * (networking.k8s.io/v1) or, with a Gateway configured, a Gateway API HTTPRoute. Pure.
 */
import { ExplainedError } from '../../kube/errors';
import type { SettingKey } from '../../kube/nextStep';
import type { DesiredObject } from '../desired';

export interface PreviewHostSettings {
  /** Wildcard DNS domain: the sandbox `jane-main` is served at `jane-main.<domain>`. */
  domain: string;
  /** Ingress mode: the IngressClass (unset: the cluster's default class). */
  ingressClass?: string;
  /** Ingress mode: a TLS Secret in the sandbox's namespace for the host (e.g. a wildcard certificate). */
  tlsSecret?: string;
  /** Gateway mode: the Gateway the HTTPRoute attaches to. */
  gateway?: { namespace: string; name: string };
  /** How visitors reach the host: https (TLS at the ingress or Gateway) or http. */
  scheme: 'https' | 'http';
  /** How long a signed link is valid, in hours. */
  linkTtlHours: number;
}

/** The settings as VS Code (or a test) hands them over, unchecked. */
export interface RawPreviewHostSettings {
  domain?: string;
  ingressClass?: string;
  tlsSecret?: string;
  gateway?: string;
  scheme?: string;
  linkTtlHours?: number;
}

export const defaultLinkTtlHours = 24;
const maxLinkTtlHours = 24 * 30;
const dnsLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function badSetting(setting: SettingKey, why: string, remedy: string): ExplainedError {
  return new ExplainedError({ reason: 'Invalid', what: `Use the setting ${setting}`, why, remedy, step: { code: 'changeSetting', setting } });
}

/** The checked settings, or undefined when no domain is set (no shareable host). Throws ExplainedError. */
export function previewHostSettings(raw: RawPreviewHostSettings): PreviewHostSettings | undefined {
  const domain = (raw.domain ?? '').trim().toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
  if (!domain) return undefined;
  if (!domain.split('.').every((label) => dnsLabel.test(label)) || domain.length > 190) {
    throw badSetting('preview.domain', `"${raw.domain}" is not a DNS domain (lower-case labels of letters, digits and "-", at most 190 characters in all)`, 'Set it to the domain your wildcard DNS record covers, e.g. preview.example.com for *.preview.example.com');
  }
  const settings: PreviewHostSettings = { domain, scheme: raw.scheme === 'http' ? 'http' : 'https', linkTtlHours: raw.linkTtlHours ?? defaultLinkTtlHours };
  if (!Number.isFinite(settings.linkTtlHours) || settings.linkTtlHours <= 0 || settings.linkTtlHours > maxLinkTtlHours) {
    throw badSetting('preview.linkTtlHours', `${raw.linkTtlHours} is not a number of hours between 0 and ${maxLinkTtlHours}`, `Set a link lifetime such as ${defaultLinkTtlHours}`);
  }
  const gateway = (raw.gateway ?? '').trim();
  if (gateway) {
    const [namespace, name, extra] = gateway.split('/');
    if (extra !== undefined || !namespace || !name || !dnsLabel.test(namespace) || !/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(name)) {
      throw badSetting('preview.gateway', `"${gateway}" is not "<namespace>/<name>" of a Gateway`, 'Set it like "gateway-system/preview", or clear it to use an Ingress');
    }
    settings.gateway = { namespace, name };
  }
  if (raw.ingressClass?.trim()) settings.ingressClass = raw.ingressClass.trim();
  if (raw.tlsSecret?.trim()) settings.tlsSecret = raw.tlsSecret.trim();
  return settings;
}

/** `<sandbox>.<domain>`, checked against DNS limits (a label of at most 63, a name of at most 253). */
export function previewHostName(sandbox: string, domain: string): string {
  const host = `${sandbox}.${domain}`;
  if (!dnsLabel.test(sandbox) || host.length > 253) {
    throw badSetting('preview.domain', `the host "${host}" is not a valid DNS name (${host.length > 253 ? 'longer than 253 characters' : `"${sandbox}" is not a DNS label`})`, 'Use a shorter domain');
  }
  return host;
}

export interface PreviewRouteInput {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  host: string;
  /** The gate's Service and port. */
  service: string;
  port: number;
}

/** The Ingress or HTTPRoute that sends the host to the gate's Service. */
export function previewRoute(settings: PreviewHostSettings, input: PreviewRouteInput): DesiredObject {
  const metadata = { name: input.name, namespace: input.namespace, labels: { ...input.labels } };
  if (settings.gateway) {
    return {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata,
      spec: {
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: settings.gateway.namespace, name: settings.gateway.name }],
        hostnames: [input.host],
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ group: '', kind: 'Service', name: input.service, port: input.port }] }],
      },
    };
  }
  const spec: Record<string, unknown> = {
    rules: [{ host: input.host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: input.service, port: { number: input.port } } } }] } }],
  };
  if (settings.ingressClass) spec.ingressClassName = settings.ingressClass;
  if (settings.tlsSecret) spec.tls = [{ hosts: [input.host], secretName: settings.tlsSecret }];
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata, spec };
}
