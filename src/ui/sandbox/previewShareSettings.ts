/**
 * The `tether.preview.*` settings of the shareable host, read from VS Code and checked
 * (previewHost.ts): undefined when no domain is set, an explained error when a setting is wrong.
 */
import * as vscode from 'vscode';
import { previewHostSettings, type PreviewHostSettings } from '../../sandbox/preview/previewHost';

export function previewShareSettings(): PreviewHostSettings | undefined {
  const c = vscode.workspace.getConfiguration('tether.preview');
  return previewHostSettings({
    domain: c.get<string>('domain', ''),
    ingressClass: c.get<string>('ingressClass', ''),
    tlsSecret: c.get<string>('tlsSecret', ''),
    gateway: c.get<string>('gateway', ''),
    scheme: c.get<string>('scheme', 'https'),
    linkTtlHours: c.get<number>('linkTtlHours', 24),
  });
}
