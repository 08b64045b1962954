/**
 * The two functions whatwg-url needs from `tr46` (UTS #46 domain mapping), answered by Node's own
 * WHATWG URL implementation. The full `tr46` package ships 250 KB of Unicode tables that Node
 * already has; the bundle aliases `tr46` to this file (see esbuild.mjs).
 */
import { domainToASCII, domainToUnicode } from 'node:url';

export const PROCESSING_OPTIONS = { TRANSITIONAL: 0, NONTRANSITIONAL: 1 } as const;

/** ASCII (punycode) form of a domain, or null when it is not a valid domain — tr46's contract. */
export function toASCII(domain: string): string | null {
  const ascii = domainToASCII(domain);
  return ascii === '' && domain !== '' ? null : ascii;
}

export function toUnicode(domain: string): { domain: string; error: boolean } {
  const unicode = domainToUnicode(domain);
  return { domain: unicode, error: unicode === '' && domain !== '' };
}
