/**
 * Strips secrets from text before it is logged or shown: bearer and basic credentials,
 * Authorization headers, kubeconfig secret fields (token, client-key-data, id-token,
 * refresh-token, client-secret, password), PEM private keys, and bare JWTs.
 */
const REDACTED = '<redacted>';

type Replacement = string | ((match: string, ...groups: string[]) => string);

const patterns: [RegExp, Replacement][] = [
  // PEM private keys, whole block.
  [/-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g, `-----BEGIN $1PRIVATE KEY-----${REDACTED}-----END $1PRIVATE KEY-----`],
  // Authorization / Proxy-Authorization headers, any scheme (header form and JSON form).
  [
    /((?:proxy-)?authorization"?\s*[:=]\s*"?)(?:(bearer|basic|negotiate)\s+)?[^\s",}]+/gi,
    (_match, prefix: string, scheme?: string) => `${prefix}${scheme ? `${scheme} ` : ''}${REDACTED}`,
  ],
  // Bearer / Basic credentials anywhere else.
  [/\b(bearer|basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${REDACTED}`],
  // YAML / JSON / query-string secret fields.
  [
    /((?:^|[\s{,"'?&])(?:token|client-key-data|client-key|id-token|refresh-token|client-secret|password|access-token|access_token|id_token|refresh_token|client_secret)"?\s*[:=]\s*"?)[^\s",}&]+/gim,
    `$1${REDACTED}`,
  ],
  // Bare JWTs (three base64url parts, the first a JSON header).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/g, REDACTED],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of patterns) {
    out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  }
  return out;
}
