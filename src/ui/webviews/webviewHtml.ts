/**
 * Every Tether webview's HTML, in one place: a strict Content-Security-Policy (`default-src
 * 'none'`; scripts only by nonce, styles, fonts and images only from the webview's own resource
 * roots), one external script, the stylesheets in order, and the initial state in escaped `data-`
 * attributes on <body> — never inline script. Pure: the caller supplies the URIs and the nonce.
 */
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlParts {
  title: string;
  /** `webview.cspSource`: where the webview may load styles, fonts and images from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  /** The shared base first, then the page's own. */
  styleUris: readonly string[];
  /** Written as `data-<key>` attributes on <body>; keys are lower-case words and dashes. */
  data?: Record<string, string>;
}

/** 128 bits from the system's CSPRNG, base64: a fresh one for every HTML document. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML attribute value or text node. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function webviewHtml(parts: WebviewHtmlParts): string {
  for (const key of Object.keys(parts.data ?? {})) {
    if (!/^[a-z][a-z0-9-]*$/.test(key)) throw new Error(`invalid data attribute name ${JSON.stringify(key)}`);
  }
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(parts.nonce)) throw new Error('the nonce must be base64 of at least 96 bits');
  const data = Object.entries(parts.data ?? {})
    .map(([key, value]) => ` data-${key}="${escapeHtml(value)}"`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(parts.cspSource, parts.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${parts.styleUris.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">\n`).join('')}<title>${escapeHtml(parts.title)}</title>
</head>
<body${data}>
<script nonce="${escapeHtml(parts.nonce)}" src="${escapeHtml(parts.scriptUri)}"></script>
</body>
</html>
`;
}
