/**
 * The preview gate's decisions, pure: what a request to the shareable host gets (a redirect that
 * trades the link's token for a cookie, a refusal that says why, or the way upstream), and the
 * headers that go upstream and back. The gate (previewGate.ts) only does the I/O.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { mergeBaggage, sandboxBaggageKey } from '../sandbox/preview/baggage';
import { previewCookieName, previewTokenParam, verifyPreviewToken, type TokenProblem } from '../sandbox/preview/previewToken';

export interface GateKey {
  key: Buffer;
  sandbox: string;
  /** Header-routed preview: upstream requests carry `baggage: tether-sandbox=<sandbox>`. */
  baggage?: boolean;
}

export interface GateRequest {
  /** The request target as received: path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The connection to the gate itself was TLS (rare: the ingress usually terminates it). */
  encrypted: boolean;
}

export type GateDecision =
  | { kind: 'redirect'; location: string; cookie: string }
  | { kind: 'refuse'; status: 401 | 403; why: TokenProblem | 'missing'; page: string }
  | { kind: 'forward'; path: string; expiresAt: number };

/** Connection-level headers a proxy must not pass on (RFC 9110 §7.6.1), lower-case. */
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** `headers` without hop-by-hop headers, including those the Connection header names. */
export function endToEndHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(String(headers.connection ?? '').toLowerCase().split(',').map((s) => s.trim()).filter(Boolean));
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || hopByHop.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** The value of cookie `name` in a Cookie header, if present. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The Cookie header without the gate's own cookie (undefined when nothing is left). */
export function withoutGateCookie(header: string | undefined): string | undefined {
  const kept = (header ?? '').split(';').map((s) => s.trim()).filter((s) => s && !s.startsWith(`${previewCookieName}=`));
  return kept.length > 0 ? kept.join('; ') : undefined;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * The request target without the token parameter, and the token if there was one. The rest of
 * the query is kept byte for byte (re-serializing would change what the app receives), and a path
 * starting with "//" is collapsed so a redirect to it cannot leave the host.
 */
export function splitToken(url: string): { path: string; token?: string } {
  const target = url.startsWith('/') ? url : (() => {
    const parsed = new URL(url, 'http://gate.invalid');
    return `${parsed.pathname}${parsed.search}`;
  })();
  const q = target.indexOf('?');
  const path = `/${(q < 0 ? target : target.slice(0, q)).replace(/^\/+/, '')}`;
  if (q < 0) return { path };
  let token: string | undefined;
  const kept: string[] = [];
  for (const pair of target.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    if (decoded(name) === previewTokenParam) token = decoded(eq < 0 ? '' : pair.slice(eq + 1));
    else if (pair) kept.push(pair);
  }
  const query = kept.length > 0 ? `?${kept.join('&')}` : '';
  return token === undefined ? { path: `${path}${target.slice(q)}` } : { path: `${path}${query}`, token };
}

function isHttps(request: GateRequest): boolean {
  const proto = String(request.headers['x-forwarded-proto'] ?? '').split(',')[0].trim().toLowerCase();
  return request.encrypted || proto === 'https';
}

const explanations: Record<TokenProblem | 'missing', string> = {
  missing: 'This preview is private: open it through a link its developer shared.',
  malformed: 'The link\'s token is damaged (it may have been cut when it was copied).',
  'wrong-sandbox': 'The link was made for another sandbox.',
  expired: 'The link has expired.',
  'bad-signature': 'The link\'s token is not signed by this sandbox (the sandbox may have been created again since).',
};

/** The small plain page a refused visitor sees. */
export function refusalPage(why: TokenProblem | 'missing'): string {
  return [
    'Tether preview',
    '',
    explanations[why],
    '',
    'Ask the developer for a new link (Tether signs one with every preview it brings up).',
    '',
  ].join('\n');
}

function refuse(why: TokenProblem | 'missing'): GateDecision {
  const status = why === 'missing' || why === 'expired' ? 401 : 403;
  return { kind: 'refuse', status, why, page: refusalPage(why) };
}

/**
 * What the gate does with one request. A token in the query wins over the cookie (a new link
 * replaces an older one); an accepted token is traded for a cookie that lives as long as the token.
 * `allowTokenForward` is for WebSocket upgrades, which cannot follow a redirect.
 */
export function decide(gate: GateKey, request: GateRequest, nowMs: number, allowTokenForward = false): GateDecision {
  const { path, token } = splitToken(request.url);
  if (token !== undefined) {
    const check = verifyPreviewToken(gate.key, token, gate.sandbox, nowMs);
    if (!check.ok) return refuse(check.reason);
    if (allowTokenForward) return { kind: 'forward', path, expiresAt: check.expiresAt };
    const maxAge = Math.max(1, Math.floor((check.expiresAt - nowMs) / 1000));
    const attributes = ['Path=/', `Max-Age=${maxAge}`, 'HttpOnly', 'SameSite=Lax', ...(isHttps(request) ? ['Secure'] : [])];
    return { kind: 'redirect', location: path, cookie: `${previewCookieName}=${token}; ${attributes.join('; ')}` };
  }
  const cookie = cookieValue(request.headers.cookie, previewCookieName);
  if (cookie === undefined) return refuse('missing');
  const check = verifyPreviewToken(gate.key, cookie, gate.sandbox, nowMs);
  if (!check.ok) return refuse(check.reason);
  return { kind: 'forward', path, expiresAt: check.expiresAt };
}

/**
 * The headers sent upstream: end-to-end ones, the gate's cookie removed, X-Forwarded-* set, and
 * for a header-routed preview the sandbox's baggage member merged in (baggage.ts). Throws a
 * BaggageError when the visitor's baggage leaves no room for it.
 */
export function upstreamHeaders(request: GateRequest, remoteAddress: string | undefined, gate?: Pick<GateKey, 'sandbox' | 'baggage'>): OutgoingHttpHeaders {
  const headers = endToEndHeaders(request.headers);
  const cookie = withoutGateCookie(request.headers.cookie);
  if (cookie === undefined) delete headers.cookie;
  else headers.cookie = cookie;
  const prior = request.headers['x-forwarded-for'];
  const chain = [...(prior ? [String(prior)] : []), ...(remoteAddress ? [remoteAddress] : [])];
  if (chain.length > 0) headers['x-forwarded-for'] = chain.join(', ');
  headers['x-forwarded-proto'] = isHttps(request) ? 'https' : 'http';
  if (request.headers.host) headers['x-forwarded-host'] = request.headers['x-forwarded-host'] ?? request.headers.host;
  if (gate?.baggage) headers.baggage = mergeBaggage(request.headers.baggage, sandboxBaggageKey, gate.sandbox);
  return headers;
}
